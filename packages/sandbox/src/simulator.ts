import type { IncomingHttpHeaders } from "node:http";
import type { ProviderStates, Vendor } from "./types.ts";

/** One request as a simulator sees it: pathname and raw query split, body as text. */
export interface Incoming {
  method: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: string | undefined;
}

/** A complete answer. `body` is JSON text (cached strings are reused as-is), or a plain-text 404 (`noRoute`). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A vendor simulator: pure request → reply logic; the server harness owns sockets, faults and logging. */
export interface Simulator<Seed = unknown> {
  readonly vendor: Vendor;
  /** The vendor's own answer: auth, rate limit, routing, validation, data. */
  handle(request: Incoming): Reply;
  /** The vendor's 5xx envelope, for injected server errors and handler crashes. */
  serverError(status: number): Reply;
  /** The vendor's 429, for injected bursts (Retry-After is sent verbatim). */
  tooManyRequests(retryAfter: string): Reply;
  /** A valid-JSON body that breaks the vendor's schema, derived from the real body when there is one. */
  breakSchema(body: unknown): unknown;
  readonly states: ProviderStates;
  readonly seed: Seed;
  /** Seed data back, rate-limit windows and provider-state tweaks cleared. */
  reset(): void;
}

const JSON_TYPE = "application/json; charset=utf-8";

export function jsonReply(status: number, body: string, headers?: Record<string, string>): Reply {
  return { status, headers: { "content-type": JSON_TYPE, ...headers }, body };
}

/**
 * The answer to a path none of a vendor's routes matches: the web server's plain-text 404, not the API's JSON error.
 * The vendors document their error bodies for their endpoints only; a client given a wrong base URL (another port, a
 * wrong prefix) lands here and must be able to tell it from "no such task".
 */
export function noRoute(method: string, path: string): Reply {
  return { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: `Cannot ${method} ${path}` };
}

/** Standard reason phrases for the statuses the simulators send. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? "Server Error" : "Error");
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  428: "Precondition Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Reads a JSON request body; `undefined` when absent, the `INVALID_JSON` marker when unparseable. */
export const INVALID_JSON: unique symbol = Symbol("invalid-json");
export function readJson(body: string | undefined): unknown {
  if (body === undefined || body.trim() === "") return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return INVALID_JSON;
  }
}

/** First value of a header (node gives arrays for repeated headers). */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const value = header(headers, "authorization");
  if (!value) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}
