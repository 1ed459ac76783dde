import type { TransportOptions } from "@taskbridge/http";
import { baseUrl, type ConnectionOptions, headerValue, parseConnectionConfig } from "@taskbridge/model";
import { z } from "zod";

/** @see https://docs.capy.ai/api-reference/tasks/get-task (servers: https://capy.ai/api) */
export const DEFAULT_BASE_URL = "https://capy.ai/api";

/** A Capy connection. */
export const ConnectionConfig = z.object({
  /** Origin plus path prefix (`/api` on Capy's own host) without the version: the client appends `/v1/...`. */
  baseUrl: baseUrl(/\/v\d+$/).default(DEFAULT_BASE_URL),
  /** API token (`capy_…`), sent as `Authorization: Bearer <token>`. No prefix check: its format is Capy's to change. */
  token: headerValue(),
});
export type ConnectionConfig = z.output<typeof ConnectionConfig>;

export type ClientOptions = ConnectionOptions<typeof ConnectionConfig, TransportOptions>;

/** The connection config, validated. @throws VendorNotConfiguredError naming each bad field, never its value. */
export const resolveConfig = (options: ClientOptions) => parseConnectionConfig("capy", ConnectionConfig, options);
