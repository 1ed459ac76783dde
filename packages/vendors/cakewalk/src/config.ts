import type { TransportOptions } from "@taskbridge/http";
import { VendorNotConfiguredError } from "@taskbridge/model";
import { z } from "zod";

export const DEFAULT_BASE_URL = "https://open-api.getcakewalk.io";

export type CakewalkHttpOptions = TransportOptions;

export interface CakewalkClientConfig {
  /** Origin (plus optional proxy prefix) without `/api/v1`: the client adds `/api/v1/...` itself. */
  baseUrl?: string | undefined;
  /** Sent as `X-API-KEY` on every call. */
  apiKey: string;
  /**
   * Sent as `X-API-SECRET` when given. Optional here, but the vendor's authentication page and the seed spec
   * require it on every call: without it Cakewalk answers 401.
   */
  apiSecret?: string | undefined;
  http?: CakewalkHttpOptions | undefined;
}

const credential = z.string().trim().min(1);

const ConfigSchema = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    // The client adds /api/v1 to every path, so a base that already ends with it would double it.
    .refine((url) => !URL.canParse(url) || !/\/api\/v\d+\/?$/i.test(new URL(url).pathname), "must not end with /api/v1")
    .default(DEFAULT_BASE_URL),
  apiKey: credential,
  apiSecret: credential.optional(),
});

export interface ResolvedCakewalkConfig {
  baseUrl: string;
  apiKey: string;
  apiSecret: string | undefined;
  http: CakewalkHttpOptions;
}

/** Validates the config; names the first bad field, never its value. */
export function resolveConfig(config: CakewalkClientConfig): ResolvedCakewalkConfig {
  const input = config ?? ({} as CakewalkClientConfig);
  const parsed = ConfigSchema.safeParse({
    baseUrl: input.baseUrl,
    apiKey: input.apiKey,
    apiSecret: input.apiSecret,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "config");
    const value = (input as unknown as Record<string, unknown>)[field];
    const missing = value === undefined || value === null || (typeof value === "string" && value.trim() === "");
    const reason = missing ? "is missing" : field === "baseUrl" ? `is invalid (${issue?.message})` : "is invalid";
    throw new VendorNotConfiguredError("cakewalk", `cakewalk: ${field} ${reason}`);
  }
  const { baseUrl, apiKey, apiSecret } = parsed.data;
  return { baseUrl, apiKey, apiSecret, http: input.http ?? {} };
}
