import type { TransportOptions } from "@taskbridge/http";
import { baseUrl, type ConnectionOptions, headerValue, parseConnectionConfig } from "@taskbridge/model";
import { z } from "zod";

export const DEFAULT_BASE_URL = "https://open-api.getcakewalk.io";

/** A Cakewalk connection. @see https://www.cakewalk.security/docs/open-api-and-mcp/authentication */
export const ConnectionConfig = z.object({
  /** Origin (plus optional proxy prefix) without `/api/v1`: the client adds `/api/v1/...` itself. */
  baseUrl: baseUrl(/\/api\/v\d+$/i).default(DEFAULT_BASE_URL),
  /** Sent as `X-API-KEY` on every call. */
  apiKey: headerValue(),
  /** Sent as `X-API-SECRET` on every call: Cakewalk answers 401 to a call without it. */
  apiSecret: headerValue(),
});
export type ConnectionConfig = z.output<typeof ConnectionConfig>;

export type ClientOptions = ConnectionOptions<typeof ConnectionConfig, TransportOptions>;

/** The connection config, validated. @throws VendorNotConfiguredError naming each bad field, never its value. */
export const resolveConfig = (options: ClientOptions) => parseConnectionConfig("cakewalk", ConnectionConfig, options);
