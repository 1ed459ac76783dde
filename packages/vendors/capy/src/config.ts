import type { TransportOptions } from "@taskbridge/http";
import { VendorNotConfiguredError } from "@taskbridge/model";
import { z } from "zod";

/** @see https://docs.capy.ai/api-reference/tasks/get-task (servers: https://capy.ai/api) */
export const DEFAULT_CAPY_BASE_URL = "https://capy.ai/api";

export type CapyHttpOptions = TransportOptions;

export interface CapyClientOptions {
  /** Origin plus path prefix; the client appends `/v1/...`. Defaults to https://capy.ai/api. */
  baseUrl?: string | undefined;
  /** API token (`capy_…`), sent as `Authorization: Bearer <token>`. */
  token: string;
  http?: CapyHttpOptions | undefined;
}

const CapyConfig = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_CAPY_BASE_URL),
  // No `capy_` prefix check: the format is the vendor's to change. Whitespace would corrupt the header.
  token: z.string().regex(/^\S+$/),
});
export type CapyConfig = z.infer<typeof CapyConfig>;

/** Validates the connection config; names the bad field, never its value. */
export function parseCapyConfig(options: CapyClientOptions): CapyConfig {
  const input = { baseUrl: options.baseUrl, token: options.token };
  const parsed = CapyConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "config");
  const value = (input as Record<string, unknown>)[field];
  const problem = value === undefined || value === "" ? "is missing" : "is not valid";
  throw new VendorNotConfiguredError("capy", `capy: ${field} ${problem}`, { detail: `${field} ${problem}` });
}
