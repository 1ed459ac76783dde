import { type Vendor, VendorContractViolationError, VendorError, type VendorErrorKind } from "@taskbridge/model";
import { type Dispatcher, Pool } from "undici";
import type { z } from "zod";
import { type BodyBudget, signalBodyBudget } from "./body-budget.ts";
import { decodeWithSchema } from "./contract.ts";
import { CallSignal } from "./deadline.ts";
import { markUnsent } from "./delivery.ts";
import {
  abortError,
  BodyBudgetError,
  callerAbortError,
  deadlineError,
  kindForStatus,
  transportError,
  vendorError,
} from "./errors.ts";
import { DEFAULT_MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.ts";
import { type HttpLogger, safeLog } from "./log.ts";
import type { CallInstrumentation, CallObserver } from "./observer.ts";
import { type CallContext, composePolicies, type Exchange, type Policy } from "./policy.ts";
import { printable } from "./printable.ts";
import { credentialValues, redactHeaders, scrubJson, scrubSecrets } from "./redact.ts";
import { sendingWith, signalDeadline } from "./request-deadline.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { DEFAULT_MAX_BODY_BYTES, type RawResponse, send } from "./send.ts";
import { safeTraceId } from "./trace-id.ts";
import { type Query, requestTarget } from "./url.ts";

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  headersMs: number;
  /** Longest pause between two chunks of the body. */
  bodyMs: number;
  /** The whole call: every attempt, every wait between them, and reading the body. */
  totalMs: number;
}

const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, totalMs: 10_000 };

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
  /** Sent on every call (credentials, organization id). Credential values never reach errors or logs. */
  headers?: Record<string, string>;
  /** An undici dispatcher to use instead of the client's own pool (tests, shared agents). Not closed by close(). */
  dispatcher?: Dispatcher;
  /** Connection cap of the pool to this origin (default 32). */
  connections?: number;
  timeouts?: Partial<Timeouts>;
  /** Largest response body read, in bytes (default 5 MiB). A larger 2xx body is a contract violation. */
  maxBodyBytes?: number;
  /** Deepest nesting of objects and arrays in a response body (default 64). A deeper 2xx body is a contract violation. */
  maxJsonDepth?: number;
  /** Wrap every call, outermost first; see reliabilityPolicies() for the usual set. */
  policies?: readonly Policy[];
  /** Reads the vendor's error envelope. */
  readError?(response: ResponseInfo): ErrorReading;
  /** Vendor-specific wait hint besides Retry-After (e.g. X-RateLimit-Reset). Milliseconds from now. */
  retryAfter?(headers: Record<string, string>, now: number): number | undefined;
  /** Response header holding the vendor's request id, when it sends one. Kept only when it looks like an id. */
  traceHeader?: string;
  /** Request header that carries `idempotencyKey`, for vendors that honour one. Not sent when unset. */
  idempotencyHeader?: string;
  /**
   * The connection's secret values (its vendor descriptor's `secrets`), besides the credential headers' own: taken
   * out of every answer the vendor gives (its JSON, error details, trace ids) before anything reads it.
   */
  secrets?: readonly string[];
  /** Receives one line per exchange (debug when it succeeded, warn when it failed); headers redacted. */
  logger?: HttpLogger;
  /** Observes every call (metrics, traces); none by default. */
  instrumentation?: CallInstrumentation;
}

/** The transport knobs a vendor client lets its caller set; everything else about HTTP is the client's business. */
export type TransportOptions = Partial<
  Pick<
    HttpClientOptions,
    "dispatcher" | "connections" | "timeouts" | "policies" | "instrumentation" | "logger" | "secrets"
  >
>;

export interface RequestSpec<T> {
  /** Name of the client method, for errors, logs and policies. */
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Built with the `path` template so ids cannot change the request's path. Must not contain `?` or `#`. */
  path: string;
  /** Encoded by the client; an array value repeats the key, undefined values are left out. */
  query?: Query;
  headers?: Record<string, string>;
  body?: unknown;
  /** Schema of a successful response body. A mismatch is a contract violation. */
  schema: z.ZodType<T>;
  /**
   * The call succeeds by its 2xx status alone (a write whose answer is only a bonus): a 2xx body that is not JSON, too
   * deep, too large, or that breaks off (timeout, reset) decodes as undefined instead of failing, so a write that
   * happened is never reported as failed.
   */
  optionalBody?: boolean;
  /** A POST that only reads (a search): as safe to repeat as a GET, so retried like one. */
  readOnly?: boolean;
  /**
   * Sent in `idempotencyHeader` when the connection has one. Only then is a write safe to repeat: a key the vendor
   * does not honour does not stop a repeated POST from creating a second task, so it never makes a write retryable.
   */
  idempotencyKey?: string | undefined;
  /**
   * Cancels the call. A signal made by requestDeadline() also caps the call's deadline (retries, waits); one made by
   * createRequestDeadline() with `bodies` counts the answer's bytes against that budget (BodyBudgetError past it).
   */
  signal?: AbortSignal | undefined;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
  /** The body exactly as decoded from JSON, before the schema (undefined for an empty body). */
  json: unknown;
  traceId?: string | undefined;
}

export interface HttpClient {
  readonly vendor: Vendor;
  request<T>(spec: RequestSpec<T>): Promise<HttpResponse<T>>;
  close(): Promise<void>;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { vendor, logger } = options;
  const base = new URL(options.baseUrl);
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, "");
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxJsonDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const fixedHeaders = options.headers ?? {};
  const fixedSecrets = [...new Set([...credentialValues(fixedHeaders), ...(options.secrets ?? [])])];
  const traceHeader = options.traceHeader?.toLowerCase();
  const ownPool = options.dispatcher
    ? undefined
    : new Pool(origin, {
        connections: options.connections ?? 32,
        connectTimeout: timeouts.connectMs,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownPool as Pool);
  const policy = composePolicies(options.policies ?? []);
  // Errors already written to the log by the exchange that produced them; the call logs only the others.
  const logged = new WeakSet<object>();

  /** Everything about the request that does not change between attempts; invalid input fails here, unsent. */
  function prepare(spec: RequestSpec<unknown>): Prepared {
    const headers: Record<string, string> = { accept: "application/json", ...spec.headers, ...fixedHeaders };
    if (options.idempotencyHeader && spec.idempotencyKey) headers[options.idempotencyHeader] = spec.idempotencyKey;
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers["content-type"] = "application/json";
    }
    const secrets = spec.headers ? [...fixedSecrets, ...credentialValues(spec.headers)] : fixedSecrets;
    return { target: requestTarget(prefix, spec.path, spec.query), headers, body, secrets };
  }

  async function exchange(
    spec: RequestSpec<unknown>,
    prepared: Prepared,
    signal: AbortSignal,
    bodies: BodyBudget | undefined,
  ): Promise<Exchange> {
    if (signal.aborted) throw abortError(vendor, spec.operation, signal);
    const { headers, body, secrets } = prepared;
    const started = performance.now();
    const line = (status: number | undefined, traceId: string | undefined) => ({
      vendor,
      operation: spec.operation,
      method: spec.method,
      path: prefix + spec.path,
      status,
      ms: Math.round(performance.now() - started),
      traceId,
      headers: redactHeaders(headers, secrets),
    });
    let status: number | undefined;
    let traceId: string | undefined;
    try {
      let response: RawResponse;
      try {
        response = await send(
          dispatcher,
          {
            origin,
            path: prepared.target,
            method: spec.method,
            headers,
            body,
            headersTimeout: timeouts.headersMs,
            bodyTimeout: timeouts.bodyMs,
          },
          signal,
          maxBodyBytes,
          spec.optionalBody === true,
          bodies,
        );
      } catch (error) {
        throw transportError(vendor, spec.operation, error, signal, secrets);
      }
      const { headers: responseHeaders, text } = response;
      status = response.status;
      traceId = traceHeader ? safeTraceId(responseHeaders[traceHeader], secrets) : undefined;
      const ok = status >= 200 && status < 300;
      const optional = ok && spec.optionalBody === true;
      // An oversized error page still says what went wrong through its status; an oversized answer is a breach.
      if (ok && response.refusedBy && !optional) {
        throw new BodyBudgetError(vendor, spec.operation, response.refusedBy.limit, response.refusedBy !== bodies);
      }
      if (ok && text === undefined && !optional) {
        throw new VendorContractViolationError(
          vendor,
          `${vendor} ${spec.operation}: HTTP ${status} the response body exceeds ${maxBodyBytes} bytes`,
          { status, traceId, detail: "body too large" },
        );
      }
      const parsed = text === undefined ? NOT_JSON : parseJson(text, maxJsonDepth, secrets);
      const json = optional && typeof parsed === "symbol" ? undefined : parsed;
      if (!ok) {
        const body = json === NOT_JSON || json === TOO_DEEP ? undefined : json;
        throw statusError(status, responseHeaders, body, spec.operation, secrets, traceId);
      }
      if (json === TOO_DEEP) {
        const detail = `JSON nested deeper than ${maxJsonDepth} levels`;
        throw new VendorContractViolationError(vendor, `${vendor} ${spec.operation}: HTTP ${status} ${detail}`, {
          status,
          traceId,
          detail,
        });
      }
      if (json === NOT_JSON) {
        throw new VendorContractViolationError(vendor, `${vendor} ${spec.operation}: HTTP ${status} body is not JSON`, {
          status,
          traceId,
          detail: "body is not JSON",
        });
      }
      if (logger?.debug) safeLog(logger, "debug", line(status, traceId), "vendor exchange");
      return { status, headers: responseHeaders, json, traceId };
    } catch (error) {
      if (error instanceof VendorError) {
        logged.add(error);
        const fields = line(error.status ?? status, error.traceId ?? traceId);
        safeLog(logger, "warn", { ...fields, kind: error.kind, err: error.toJSON() }, "vendor exchange failed");
      }
      throw error;
    }
  }

  function statusError(
    status: number,
    headers: Record<string, string>,
    body: unknown,
    operation: string,
    secrets: string[],
    headerTraceId: string | undefined,
  ): VendorError {
    const now = Date.now();
    const reading = safeRead(() => options.readError?.({ status, headers, body })) ?? {};
    const traceId = safeTraceId(reading.traceId, secrets) ?? headerTraceId;
    const retryAfterMs =
      parseRetryAfter(headers["retry-after"], now) ?? safeRead(() => options.retryAfter?.(headers, now));
    const detail = reading.detail
      ? printable(scrubSecrets(reading.detail, secrets).slice(0, 300)) || undefined
      : undefined;
    const kind = reading.kind ?? kindForStatus(status);
    const message = `${vendor} ${operation}: HTTP ${status}${detail ? ` (${detail})` : ""}`;
    return vendorError(kind, vendor, message, { status, traceId, retryAfterMs, detail, limitedBy: "vendor" });
  }

  return {
    vendor,
    async request<T>(spec: RequestSpec<T>): Promise<HttpResponse<T>> {
      const prepared = prepare(spec as RequestSpec<unknown>);
      const endsAt = Date.now() + timeouts.totalMs;
      const callerDeadline = signalDeadline(spec.signal);
      const bodies = signalBodyBudget(spec.signal);
      // The whole call ends by its own totalMs, or earlier when the caller's request has a sooner deadline.
      const deadline = Math.min(endsAt, callerDeadline ?? Number.POSITIVE_INFINITY);
      const own = new CallSignal(
        endsAt,
        spec.signal,
        () => deadlineError(vendor, spec.operation, timeouts.totalMs),
        (reason) => callerAbortError(vendor, spec.operation, reason),
      );
      // When the caller's deadline comes first, the caller's own signal ends every exchange in time: no timer or
      // listener of ours per call (exchange translates its reasons). Policies that wait use the call's signal.
      const transport = callerDeadline !== undefined && callerDeadline <= endsAt ? spec.signal : undefined;
      // A write is repeatable only when the vendor deduplicates it by our key (see RequestSpec.idempotencyKey).
      const idempotent =
        spec.method === "GET" ||
        spec.readOnly === true ||
        (spec.idempotencyKey !== undefined && options.idempotencyHeader !== undefined);
      const observer = options.instrumentation?.({ vendor, operation: spec.operation, method: spec.method });
      const sent = observer?.headers
        ? { ...prepared, headers: { ...prepared.headers, ...observer.headers } }
        : prepared;
      const call = new Call(vendor, spec, idempotent, deadline, own, observer);
      let status: number | undefined;
      /** Whether an attempt was handed to the transport: a call that fails before any sent nothing. */
      let dispatched = false;
      try {
        const result = await policy(call, () => {
          observer?.attempt?.();
          const signal = transport ?? own.signal;
          // Nothing awaits between here and the dispatch: a caller who leaves from now on no longer stops a write.
          if (!signal.aborted) {
            dispatched = true;
            sendingWith(spec.signal);
          }
          return exchange(spec as RequestSpec<unknown>, sent, signal, bodies);
        });
        status = result.status;
        const { traceId } = result;
        const data = decodeWithSchema(vendor, spec.operation, spec.schema, result.json, { status, traceId });
        observer?.end({ status, error: undefined });
        return { status, headers: result.headers, data, json: result.json, traceId };
      } catch (error) {
        if (!dispatched) markUnsent(error);
        if (observer) {
          const failure = error instanceof Error ? error : new Error(String(error));
          observer.end({ status: (error instanceof VendorError ? error.status : undefined) ?? status, error: failure });
        }
        // A policy may rethrow an exchange's error as its cause (the vendor pause caps a 429's wait).
        if (error instanceof VendorError && !logged.has(error) && !logged.has(Object(error.cause))) {
          const fields = { vendor, operation: spec.operation, method: spec.method, path: prefix + spec.path };
          safeLog(logger, "warn", { ...fields, kind: error.kind, err: error.toJSON() }, "vendor call failed");
        }
        throw error;
      } finally {
        own.dispose();
      }
    },
    async close() {
      await ownPool?.close();
    },
  };
}

/** What the policies see of a call; a class for the reason CallSignal is one (no per-call accessor pair). */
class Call implements CallContext {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly method: string;
  readonly idempotent: boolean;
  readonly idempotencyKey: string | undefined;
  readonly deadline: number;
  readonly observer: CallObserver | undefined;
  readonly #own: CallSignal;

  constructor(
    vendor: Vendor,
    spec: RequestSpec<unknown>,
    idempotent: boolean,
    deadline: number,
    own: CallSignal,
    observer: CallObserver | undefined,
  ) {
    this.vendor = vendor;
    this.operation = spec.operation;
    this.method = spec.method;
    this.idempotent = idempotent;
    this.idempotencyKey = spec.idempotencyKey;
    this.deadline = deadline;
    this.observer = observer;
    this.#own = own;
  }

  get signal(): AbortSignal {
    return this.#own.signal;
  }
}

interface Prepared {
  target: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Credential values to scrub from anything this call reports. */
  secrets: string[];
}

const NOT_JSON = Symbol("not json");
const TOO_DEEP = Symbol("too deep");

/**
 * An empty body decodes to undefined (the schema decides whether that is fine); anything unparsable is NOT_JSON,
 * and a body nested deeper than `maxDepth` is TOO_DEEP (it is not parsed). Every answer passes here, so this is
 * where `secrets` are taken out of it: nothing the vendor sent (a task's `raw`, its fields, a page token, an error's
 * detail) can carry them on to an answer, a record, a cursor or a log line.
 */
function parseJson(text: string, maxDepth: number, secrets: readonly string[]): unknown {
  if (text.trim() === "") return undefined;
  if (nestsDeeperThan(text, maxDepth)) return TOO_DEEP;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  return scrubJson(text, json, secrets);
}

function safeRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
