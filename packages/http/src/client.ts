import {
  type Vendor,
  VendorBadRequestError,
  VendorConflictError,
  VendorContractViolationError,
  VendorError,
  type VendorErrorKind,
  VendorForbiddenError,
  VendorNetworkError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorTimeoutError,
  VendorUnauthorizedError,
  VendorUnavailableError,
} from "@taskbridge/model";
import { type Dispatcher, Pool } from "undici";
import type { z } from "zod";
import { type CallContext, composePolicies, type Exchange, type Policy } from "./policy.ts";
import { scrubSecrets } from "./redact.ts";
import { parseRetryAfter } from "./retry-after.ts";

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Longest pause between two chunks of the body. */
  bodyMs: number;
  /** The whole call, retries and waits included. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, totalMs: 10_000 };

/** What a vendor client learns from an error response: its trace id, message, or a more specific kind. */
export interface ErrorReading {
  traceId?: string | undefined;
  detail?: string | undefined;
  kind?: VendorErrorKind | undefined;
}

export interface ResponseInfo {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, otherwise undefined. */
  body: unknown;
}

export interface HttpClientOptions {
  vendor: Vendor;
  /** Origin plus optional path prefix, e.g. `https://capy.ai/api`. */
  baseUrl: string;
  /** Sent on every call (credentials, organization id). Never shown in errors or logs. */
  headers?: Record<string, string>;
  /** An undici dispatcher to use instead of the client's own pool (tests, shared agents). */
  dispatcher?: Dispatcher;
  /** Connection cap of the pool to this origin. */
  connections?: number;
  timeouts?: Partial<Timeouts>;
  /** Wrap every call, outermost first: rate budget, circuit breaker, retries… */
  policies?: readonly Policy[];
  /** Reads the vendor's error envelope. */
  readError?(response: ResponseInfo): ErrorReading;
  /** Vendor-specific wait hint besides Retry-After (e.g. X-RateLimit-Reset). Milliseconds from now. */
  retryAfter?(headers: Record<string, string>, now: number): number | undefined;
  /** Response header holding the vendor's request id, when it sends one. */
  traceHeader?: string;
}

export interface RequestSpec<T> {
  /** Name of the client method, for errors, logs and policies. */
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Built with the `path` template so ids cannot change the request's path. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Schema of a successful response body. A mismatch is a contract violation. */
  schema: z.ZodType<T>;
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
  /** The body exactly as decoded from JSON, before the schema. */
  json: unknown;
}

export interface HttpClient {
  readonly vendor: Vendor;
  request<T>(spec: RequestSpec<T>): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { vendor } = options;
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const fixedHeaders = options.headers ?? {};
  const secrets = Object.values(fixedHeaders);
  const ownPool = options.dispatcher
    ? undefined
    : new Pool(base.origin, {
        connections: options.connections ?? 32,
        connectTimeout: timeouts.connectMs,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownPool as Pool);
  const policy = composePolicies(options.policies ?? []);

  async function exchange(spec: RequestSpec<unknown>, signal: AbortSignal): Promise<Exchange> {
    const headers: Record<string, string> = { accept: "application/json", ...spec.headers, ...fixedHeaders };
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers["content-type"] = "application/json";
    }
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: base.origin,
        path: prefix + spec.path + queryString(spec.query),
        method: spec.method,
        headers,
        body,
        signal,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
    } catch (error) {
      throw transportError(vendor, spec.operation, error, signal);
    }
    const responseHeaders = flattenHeaders(response.headers);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw transportError(vendor, spec.operation, error, signal);
    }
    const json = parseJson(text, responseHeaders["content-type"]);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (json === NOT_JSON) {
        throw new VendorContractViolationError(vendor, `${vendor} ${spec.operation}: the response body is not JSON`, {
          status: response.statusCode,
          traceId: options.traceHeader ? responseHeaders[options.traceHeader] : undefined,
        });
      }
      return { status: response.statusCode, headers: responseHeaders, json };
    }
    throw statusError(response.statusCode, responseHeaders, json === NOT_JSON ? undefined : json, spec.operation);
  }

  function statusError(status: number, headers: Record<string, string>, body: unknown, operation: string): VendorError {
    const now = Date.now();
    const reading = safeRead(() => options.readError?.({ status, headers, body })) ?? {};
    const traceId = reading.traceId ?? (options.traceHeader ? headers[options.traceHeader] : undefined);
    const retryAfterMs = parseRetryAfter(headers["retry-after"], now) ?? options.retryAfter?.(headers, now);
    const detail = reading.detail ? scrubSecrets(reading.detail, secrets).slice(0, 300) : undefined;
    const kind = reading.kind ?? kindForStatus(status);
    const message = `${vendor} ${operation}: HTTP ${status}${detail ? ` (${detail})` : ""}`;
    const details = { status, traceId, retryAfterMs, detail };
    return kind === "rate_limited"
      ? new VendorRateLimitedError(vendor, message, { ...details, limitedBy: "vendor" })
      : new (ERROR_CLASSES[kind] ?? VendorUnavailableError)(vendor, message, details);
  }

  return {
    vendor,
    async request<T>(spec: RequestSpec<T>): Promise<HttpResponse<T>> {
      const deadline = Date.now() + timeouts.totalMs;
      const signal = spec.signal
        ? AbortSignal.any([spec.signal, AbortSignal.timeout(timeouts.totalMs)])
        : AbortSignal.timeout(timeouts.totalMs);
      const call: CallContext = {
        vendor,
        operation: spec.operation,
        method: spec.method,
        idempotent: spec.method === "GET" || spec.idempotencyKey !== undefined,
        idempotencyKey: spec.idempotencyKey,
        signal,
        deadline,
      };
      const result = await policy(call, () => exchange(spec as RequestSpec<unknown>, signal));
      const parsed = spec.schema.safeParse(result.json);
      if (!parsed.success) {
        throw new VendorContractViolationError(
          vendor,
          `${vendor} ${spec.operation}: the response does not match the contract (${describeIssues(parsed.error)})`,
          { status: result.status },
        );
      }
      return { status: result.status, headers: result.headers, data: parsed.data, json: result.json };
    },
    async close() {
      await ownPool?.close();
    },
  };
}

const ERROR_CLASSES: Partial<Record<VendorErrorKind, typeof VendorNotFoundError>> = {
  not_found: VendorNotFoundError,
  unauthorized: VendorUnauthorizedError,
  forbidden: VendorForbiddenError,
  bad_request: VendorBadRequestError,
  conflict: VendorConflictError,
  unavailable: VendorUnavailableError,
  timeout: VendorTimeoutError,
  network: VendorNetworkError,
  contract_violation: VendorContractViolationError,
};

export function kindForStatus(status: number): VendorErrorKind {
  if (status === 400 || status === 422) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 408) return "timeout";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "unavailable";
  return "contract_violation";
}

/** Names the failing paths and what was expected, never the values received. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.code}`)
    .join("; ");
}

function transportError(vendor: Vendor, operation: string, error: unknown, signal: AbortSignal): VendorError {
  const code = (error as { code?: string }).code ?? (error as { name?: string }).name ?? "unknown";
  if (signal.aborted && signal.reason instanceof VendorError) return signal.reason;
  const timedOut =
    code === "UND_ERR_CONNECT_TIMEOUT" ||
    code === "UND_ERR_HEADERS_TIMEOUT" ||
    code === "UND_ERR_BODY_TIMEOUT" ||
    (signal.aborted && (signal.reason as { name?: string })?.name === "TimeoutError");
  if (timedOut) return new VendorTimeoutError(vendor, `${vendor} ${operation}: timed out (${code})`, { cause: error });
  return new VendorNetworkError(vendor, `${vendor} ${operation}: network error (${code})`, { cause: error });
}

const NOT_JSON = Symbol("not json");

function parseJson(text: string, contentType: string | undefined): unknown {
  if (text === "") return contentType?.includes("json") ? NOT_JSON : undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function queryString(query: RequestSpec<unknown>["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function safeRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
