import type { TransportOptions } from "@taskbridge/http";
import { VendorNotConfiguredError } from "@taskbridge/model";
import { z } from "zod";

export const DEFAULT_BASE_URL = "https://api.maxcare.ai";

export type MaxAiHttpOptions = TransportOptions;

export interface MaxAiClientConfig {
  /** Origin (plus optional proxy prefix) without the API version: the client adds /v2/… and /v4/…. */
  baseUrl?: string | undefined;
  /** Marketplace API key (`max_prd_ak_…` / `max_dev_ak_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Target clinic, sent as `X-Organization-Id` on every call. */
  organizationId: string;
  http?: MaxAiHttpOptions | undefined;
}

const credential = z.string().trim().min(1);

const ConfigSchema = z.object({
  baseUrl: z
    .url({ protocol: /^https?$/ })
    // The version lives in each path (v2 for reads, v4 for writes), so a versioned base would double it.
    .refine(
      (url) => !URL.canParse(url) || !/\/v\d+\/?$/.test(new URL(url).pathname),
      "must not end with an API version such as /v2",
    )
    .default(DEFAULT_BASE_URL),
  apiKey: credential,
  organizationId: credential,
});

export interface ResolvedConfig {
  baseUrl: string;
  apiKey: string;
  organizationId: string;
  http: MaxAiHttpOptions;
}

/** Validates the config; names the first bad field, never its value. */
export function resolveConfig(config: MaxAiClientConfig): ResolvedConfig {
  const parsed = ConfigSchema.safeParse({
    baseUrl: config?.baseUrl,
    apiKey: config?.apiKey,
    organizationId: config?.organizationId,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "config");
    const missing = issue?.code === "invalid_type" || (issue?.code === "too_small" && field !== "baseUrl");
    const reason = missing ? "is missing" : `is invalid (${issue?.message ?? "unreadable"})`;
    throw new VendorNotConfiguredError("maxai", `maxai: ${field} ${reason}`);
  }
  return { ...parsed.data, http: config.http ?? {} };
}
