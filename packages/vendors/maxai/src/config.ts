import type { TransportOptions } from "@taskbridge/http";
import { baseUrl, type ConnectionOptions, headerValue, parseConnectionConfig } from "@taskbridge/model";
import { z } from "zod";

export const DEFAULT_BASE_URL = "https://api.maxcare.ai";

/** A Max AI connection. @see https://docs.maxcare.ai/guides/authentication */
export const ConnectionConfig = z.object({
  /** Origin (plus optional proxy prefix) without the API version: the client adds /v2/… and /v4/…. */
  baseUrl: baseUrl(/\/v\d+$/).default(DEFAULT_BASE_URL),
  /** Marketplace API key (`max_prd_ak_…` / `max_dev_ak_…`), sent as `Authorization: Bearer`. */
  apiKey: headerValue(),
  /** Target clinic, sent as `X-Organization-Id` on every call. */
  organizationId: headerValue(),
});
export type ConnectionConfig = z.output<typeof ConnectionConfig>;

export type ClientOptions = ConnectionOptions<typeof ConnectionConfig, TransportOptions>;

/** The connection config, validated. @throws VendorNotConfiguredError naming each bad field, never its value. */
export const resolveConfig = (options: ClientOptions) => parseConnectionConfig("maxai", ConnectionConfig, options);
