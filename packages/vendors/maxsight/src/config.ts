import type { TransportOptions } from "@taskbridge/http";
import { VendorNotConfiguredError } from "@taskbridge/model";
import { z } from "zod";

/** Maxsight hosts each region's data on its own domain; the API lives under `/v5` on each. */
export const MAXSIGHT_REGION_URLS = {
  us: "https://api.us.maxsight.com",
  eu: "https://api.eu.maxsight.com",
  ae: "https://api.ae.maxsight.com",
} as const;
export type MaxsightRegion = keyof typeof MAXSIGHT_REGION_URLS;
export const MAXSIGHT_REGIONS = Object.keys(MAXSIGHT_REGION_URLS) as MaxsightRegion[];

export type MaxsightHttpOptions = TransportOptions;

export interface MaxsightClientOptions {
  /** Data region; ignored when `baseUrl` is given. Default "us". */
  region?: MaxsightRegion | undefined;
  /** Origin (plus optional proxy prefix) without `/v5`; a trailing `/v5` is tolerated and dropped. */
  baseUrl?: string | undefined;
  apiKey: string;
  http?: MaxsightHttpOptions | undefined;
}

export const MaxsightConfig = z.object({
  region: z.enum(MAXSIGHT_REGIONS).default("us"),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  apiKey: z.string().refine((key) => key.trim() !== ""),
});

export interface ResolvedMaxsightConfig {
  /** What the http client prefixes to `/v5/...`. */
  baseUrl: string;
  apiKey: string;
}

/** Validates the connection config. Errors name the field, never its value. */
export function resolveMaxsightConfig(options: MaxsightClientOptions): ResolvedMaxsightConfig {
  const input = options ?? ({} as MaxsightClientOptions);
  const parsed = MaxsightConfig.safeParse({ region: input.region, baseUrl: input.baseUrl, apiKey: input.apiKey });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "config");
    const value = (input as unknown as Record<string, unknown>)[field];
    const problem = value === undefined || value === null || value === "" ? "is missing" : "is invalid";
    const hint = field === "region" ? ` (expected one of ${MAXSIGHT_REGIONS.join(", ")})` : "";
    throw new VendorNotConfiguredError("maxsight", `maxsight client: config field "${field}" ${problem}${hint}`);
  }
  const { region, baseUrl, apiKey } = parsed.data;
  return { baseUrl: baseUrl ? stripVersion(baseUrl) : MAXSIGHT_REGION_URLS[region], apiKey };
}

// Maxsight's docs give the base URL as `https://{api_region}/v5`; the client adds `/v5` itself, so a pasted
// docs URL would otherwise turn every call into a 404 (i.e. every task "not found").
function stripVersion(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = url.pathname.replace(/\/+$/, "").replace(/\/v5$/, "");
  return url.href.replace(/\/+$/, "");
}
