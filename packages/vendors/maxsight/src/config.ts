import type { TransportOptions } from "@taskbridge/http";
import { baseUrl, type ConnectionOptions, headerValue, parseConnectionConfig } from "@taskbridge/model";
import { z } from "zod";

/** Maxsight hosts each region's data on its own domain; the API lives under `/v5` on each. */
export const MAXSIGHT_REGION_URLS = {
  us: "https://api.us.maxsight.com",
  eu: "https://api.eu.maxsight.com",
  ae: "https://api.ae.maxsight.com",
} as const;
export type MaxsightRegion = keyof typeof MAXSIGHT_REGION_URLS;
export const MAXSIGHT_REGIONS = Object.keys(MAXSIGHT_REGION_URLS) as MaxsightRegion[];

export const DEFAULT_BASE_URL = MAXSIGHT_REGION_URLS.us;

/** A Maxsight connection. @see https://docs.maxsight.com/en/retrieve-a-task.html */
export const ConnectionConfig = z.object({
  /** Data region; ignored when `baseUrl` is given. */
  region: z.enum(MAXSIGHT_REGIONS).default("us"),
  /**
   * Origin (plus optional proxy prefix) without `/v5`: the docs give the base URL as `https://{api_region}/v5`, but
   * the client adds `/v5` itself.
   */
  baseUrl: baseUrl(/\/v\d+$/).optional(),
  /** Sent as the `apikey` header. */
  apiKey: headerValue(),
});
export type ConnectionConfig = z.output<typeof ConnectionConfig>;

export type ClientOptions = ConnectionOptions<typeof ConnectionConfig, TransportOptions>;

export interface ResolvedConfig {
  /** What the http client prefixes to `/v5/...`: `baseUrl`, else the region's URL. */
  baseUrl: string;
  apiKey: string;
}

/** The connection config, validated. @throws VendorNotConfiguredError naming each bad field, never its value. */
export function resolveConfig(options: ClientOptions): ResolvedConfig {
  const { region, baseUrl, apiKey } = parseConnectionConfig("maxsight", ConnectionConfig, options);
  return { baseUrl: baseUrl ?? MAXSIGHT_REGION_URLS[region], apiKey };
}
