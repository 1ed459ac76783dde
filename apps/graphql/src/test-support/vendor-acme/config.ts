import type { TransportOptions } from "@taskbridge/http";
import { baseUrl, type ConnectionOptions, headerValue, parseConnectionConfig } from "@taskbridge/model";
import { z } from "zod";

/** An Acme connection: Acme runs nowhere but on loopback, so there is no default base URL. */
export const ConnectionConfig = z.object({
  /** Origin (plus optional proxy prefix) without `/v1`: the client adds it. */
  baseUrl: baseUrl(/\/v\d+$/),
  /** Sent as `X-Acme-Token` on every call. */
  token: headerValue(),
});
export type ConnectionConfig = z.output<typeof ConnectionConfig>;

export type ClientOptions = ConnectionOptions<typeof ConnectionConfig, TransportOptions>;

export const resolveConfig = (options: ClientOptions) => parseConnectionConfig("acme", ConnectionConfig, options);
