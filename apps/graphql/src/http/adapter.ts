import { randomBytes } from "node:crypto";
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type BodyBudget, createRequestDeadline, type RequestDeadline } from "@taskbridge/http";
import type { Logger } from "pino";
import type { Tenant } from "../context.ts";
import { LazyRequestLogger, type RequestLogger } from "../logger.ts";
import type { Outcome } from "../pipeline.ts";
import { type AnswerResult, normalizeResult } from "../result.ts";
import type { Metrics } from "../telemetry/metrics.ts";
import type { RequestTracing } from "../telemetry/tracing.ts";
import { BodyTooLargeError, ClientGoneError, readBody } from "./body.ts";
import type { GraphiQLPage } from "./graphiql.ts";
import {
  type AnswerType,
  answerType,
  essence,
  GRAPHQL_RESPONSE,
  JSON_TYPE,
  parameter,
  wantsHtml,
} from "./negotiation.ts";
import { type GraphQLParams, type ParsedRequest, paramsFromJson, paramsFromSearch } from "./params.ts";
import { WEB_APP_PATH, type webApp } from "./web-app.ts";

export const GRAPHQL_PATH = "/graphql";

/** What the adapter needs of the GraphQL service for one HTTP request. */
export interface RequestRun {
  /** Runs one operation through the envelop pipeline (a batch calls it once per item, sharing the request). */
  run(params: GraphQLParams, method: string): Promise<Outcome>;
  /** Vendor calls this request made, for the access log. */
  vendorCalls(): number;
}

export interface HttpAdapterOptions {
  logger: Logger;
  /** The tenant of the request's API key, or undefined. */
  authenticate(req: IncomingMessage): Tenant | undefined;
  /** Starts a GraphQL request for an authenticated tenant. */
  open(request: {
    tenant: Tenant;
    requestId: string;
    log: RequestLogger;
    signal: AbortSignal;
    writeSignal(): AbortSignal;
  }): RequestRun;
  /** Largest request body, in bytes. */
  bodyBytes: number;
  /** Most operations in one batch (a JSON array body). */
  batchLimit: number;
  /** A GraphQL request's budget of vendor answer bytes, given back when it ends. */
  vendorBodies(): BodyBudget;
  /** One deadline for everything a request does (vendor calls, retries, waits). */
  requestTimeoutMs: number;
  /** What /readyz answers. */
  readiness(): { status: 200 | 503; body: object };
  graphiql?: GraphiQLPage | undefined;
  /** The example client app, served under /app/. */
  webApp?: ReturnType<typeof webApp> | undefined;
  metrics?: Metrics | undefined;
  /** A span per GraphQL request (when tracing is on); its trace id joins the request id in error extensions. */
  tracing?: RequestTracing | undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Request ids this process makes: a random prefix per process and a counter (unique, and cheaper than a UUID each). */
const ID_PREFIX = randomBytes(6).toString("hex");
let idCounter = 0;
function nextRequestId(): string {
  idCounter += 1;
  return `${ID_PREFIX}-${idCounter.toString(36)}`;
}
const CORS_HEADERS = "authorization, content-type, accept, x-request-id, traceparent";
/** The status an access line gives a request whose client went away before it was answered (nginx's). */
const CLIENT_GONE = 499;

/** Node's own refusals, before or while a request arrives, by error code; anything else is a malformed request. */
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: "The request headers are too large." },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: "The request did not arrive in time." },
};
const MALFORMED = { status: 400, message: "Malformed HTTP request." };
/** The client reset the connection, or ended it mid-request: nobody to answer. */
const GONE = new Set(["ECONNRESET", "HPE_INVALID_EOF_STATE"]);

/** The exchange in progress on a connection, for Node's refusals (a request timeout) to answer through. */
const EXCHANGE = Symbol("exchange");
type ExchangeSocket = Duplex & { [EXCHANGE]?: Exchange | undefined };

/** One request as the adapter handles it, and what its access line will say. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  log: RequestLogger;
  /** Every error this request answers carries these (the request id; the trace id when tracing). */
  ids: Record<string, string>;
  /** The GraphQL request's deadline, and its budget of vendor answer bytes, both ended with the exchange. */
  deadline?: RequestDeadline;
  bodies?: BodyBudget;
  access: { tenant?: string; operation?: string; errorCodes?: string; vendorCalls?: number };
}

/**
 * The service's one HTTP layer: a node:http request listener, no Fetch Request/Response per request. It owns the
 * HTTP concerns in one place — request ids and access lines, health and readiness, GraphiQL's page,
 * authentication (before content negotiation: an unauthenticated request learns nothing else), methods, content
 * types, body limits, Accept negotiation and status codes (GraphQL over HTTP), HTTP metrics and the request's
 * span — and hands every GraphQL operation to the envelop pipeline. Every refusal is JSON with a code from the
 * fixed set.
 */
export function createHttpAdapter(options: HttpAdapterOptions) {
  const { logger, metrics, tracing } = options;
  // Access lines have fixed fields and no headers, so they skip pino's path redaction; secret scrubbing applies.
  const accessLog = logger.child({}, { redact: { paths: [] } });

  return { listener, clientError };

  function listener(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : nextRequestId();
    const exchange: Exchange = {
      req,
      res,
      requestId,
      log: new LazyRequestLogger(logger, requestId),
      ids: { requestId },
      access: {},
    };
    res.setHeader("x-request-id", requestId);
    const socket = req.socket as ExchangeSocket;
    socket[EXCHANGE] = exchange;
    // One listener for the end of every exchange (answered or abandoned): the access line and the metrics.
    res.once("close", () => {
      if (socket[EXCHANGE] === exchange) socket[EXCHANGE] = undefined;
      if (res.writableFinished) exchange.deadline?.dispose();
      else exchange.deadline?.abort(new DOMException("The client went away", "AbortError"));
      exchange.bodies?.release();
      const path = pathOf(req.url);
      const durationMs = performance.now() - started;
      const status = res.headersSent ? res.statusCode : CLIENT_GONE;
      accessLog.info(
        {
          reqId: requestId,
          method: req.method,
          path,
          status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...exchange.access,
        },
        "request",
      );
      if (metrics) {
        const route = ROUTES.has(path) ? path : "other";
        metrics.httpRequests.observe({ method: req.method ?? "", route, status }, durationMs / 1000);
        // A GraphQL request refused before any operation was read (401, 406, 413, 415, a malformed body).
        const { operation, errorCodes } = exchange.access;
        if (route === GRAPHQL_PATH && operation === undefined && errorCodes) metrics.refusal(errorCodes);
      }
    });
    route(exchange).catch((error: unknown) => {
      exchange.log.error({ err: error }, "request failed");
      if (!res.headersSent) refuse(exchange, 500, "INTERNAL_SERVER_ERROR", "Unexpected error.");
      else res.destroy();
    });
  }

  /**
   * Node's own refusals (a malformed request, headers too large, a request that did not arrive in time) in the
   * same JSON as every other: through the exchange when a request is in progress, else written to the socket.
   */
  function clientError(error: Error & { code?: string }, socket: ExchangeSocket): void {
    if (GONE.has(error.code ?? "") || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, message } = CLIENT_ERRORS[error.code ?? ""] ?? MALFORMED;
    const exchange = socket[EXCHANGE];
    if (exchange && !exchange.res.headersSent) {
      exchange.res.setHeader("connection", "close");
      // The request still arriving is the one at fault (too slow): it gets the refusal. A whole request being
      // answered is not: a malformed one pipelined behind it only ends the connection once its answer is out.
      if (exchange.req.complete) return;
      exchange.res.once("finish", () => socket.destroy());
      refuse(exchange, status, "BAD_USER_INPUT", message);
      return;
    }
    const requestId = nextRequestId();
    const body = JSON.stringify(refusal(message, "BAD_USER_INPUT", { requestId }));
    // Closed once written, not when the client closes its side: one that never reads or closes would otherwise keep
    // the socket, and its place among the server's maxConnections, for good.
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: ${JSON_TYPE}; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
      () => socket.destroy(),
    );
    accessLog.info(
      { reqId: requestId, status, errorCodes: "BAD_USER_INPUT", clientError: error.code ?? error.message },
      "request",
    );
  }

  async function route(exchange: Exchange): Promise<void> {
    const { req, res } = exchange;
    const path = pathOf(req.url);
    if (path !== GRAPHQL_PATH) return readOnly(exchange, path);
    const method = req.method ?? "GET";
    if (req.headers.origin !== undefined) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-expose-headers", "x-request-id");
    }
    if (method === "OPTIONS") return preflight(res);
    if (method === "GET" && options.graphiql && wantsHtml(req.headers.accept)) return options.graphiql.send(req, res);
    if (tracing) return tracing.traced(req, res, exchange.ids, () => graphql(exchange, method));
    return graphql(exchange, method);
  }

  /** Health, readiness and the example app: GET and HEAD only. */
  async function readOnly(exchange: Exchange, path: string): Promise<void> {
    const { req, res } = exchange;
    const serveApp = options.webApp;
    const appPath = serveApp && (path === "/app" || path.startsWith(WEB_APP_PATH));
    if (!appPath && path !== "/healthz" && path !== "/readyz") return nothingHere(exchange);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return refuse(exchange, 405, "BAD_USER_INPUT", `${path} answers GET and HEAD.`);
    }
    if (path === "/healthz") return json(res, 200, { status: "ok" });
    if (path === "/readyz") {
      const { status, body } = options.readiness();
      return json(res, status, body);
    }
    if (!(await serveApp?.(req, res, path))) return nothingHere(exchange);
  }

  async function graphql(exchange: Exchange, method: string): Promise<void> {
    const { req, res } = exchange;
    if (method !== "GET" && method !== "POST") {
      res.setHeader("allow", "GET, POST, OPTIONS");
      return refuse(exchange, 405, "BAD_USER_INPUT", `${GRAPHQL_PATH} accepts GET and POST.`);
    }
    const tenant = options.authenticate(req);
    if (!tenant) {
      res.setHeader("www-authenticate", 'Bearer realm="taskbridge"');
      return refuse(exchange, 401, "UNAUTHENTICATED", "Send a valid API key as `Authorization: Bearer <key>`.");
    }
    exchange.access.tenant = tenant.id;
    const type = answerType(req.headers.accept);
    if (type === undefined)
      return refuse(exchange, 406, "BAD_USER_INPUT", `Accept ${GRAPHQL_RESPONSE} or ${JSON_TYPE}.`);

    let parsed: ParsedRequest;
    if (method === "POST") {
      // Only JSON: forms and text/plain are what a cross-site page can POST without a CORS preflight.
      if (!isJsonBody(req.headers["content-type"])) {
        return refuse(exchange, 415, "BAD_USER_INPUT", "POST bodies must be JSON (content-type: application/json).");
      }
      let body: Buffer;
      try {
        body = await readBody(req, options.bodyBytes);
      } catch (error) {
        if (error instanceof ClientGoneError) return; // nobody to answer; the access line says 499
        if (!(error instanceof BodyTooLargeError)) throw error;
        res.setHeader("connection", "close");
        return refuse(exchange, 413, "BAD_USER_INPUT", error.message);
      }
      parsed = paramsFromJson(body.toString("utf8"), options.batchLimit);
    } else {
      parsed = paramsFromSearch(new URL(req.url ?? "/", "http://localhost").searchParams);
    }
    if ("invalid" in parsed) return refuse(exchange, 400, "BAD_USER_INPUT", parsed.invalid);

    // One deadline for the whole request; a client that goes away aborts it too (see the close listener).
    const bodies = options.vendorBodies();
    const deadline = createRequestDeadline(options.requestTimeoutMs, { bodies });
    exchange.deadline = deadline;
    exchange.bodies = bodies;
    const { requestId, log } = exchange;
    const request = options.open({
      tenant,
      requestId,
      log,
      signal: deadline.signal,
      writeSignal: () => deadline.writeSignal(),
    });
    const outcomes: Outcome[] = [];
    try {
      // Batch items run one after another: the request's vendor-call budget is spent in order.
      for (const params of parsed.params) outcomes.push(await request.run(params, method));
    } finally {
      // Its work is over, a write that outlived its caller included: a timer left would keep a shutdown waiting.
      deadline.dispose();
    }
    const results = outcomes.map((outcome) => normalizeResult(outcome.result, exchange.ids));
    report(exchange, outcomes, results, request.vendorCalls());
    const [single] = outcomes;
    if (!parsed.batch && single?.mutationViaGet) res.setHeader("allow", "POST");
    const status = parsed.batch || !single ? 200 : statusOf(single, type);
    const texts = results.map(serialize);
    send(res, status, type, parsed.batch ? `[${texts.join(",")}]` : (texts[0] as string));
  }

  /** The access line's and the metrics' view of what the operations answered. */
  function report(exchange: Exchange, outcomes: Outcome[], results: AnswerResult[], vendorCalls: number): void {
    const codes = results.map((result) => result.errors?.map((error) => String(error.extensions?.code)) ?? []);
    exchange.access.vendorCalls = vendorCalls;
    // Strings, not arrays: the access line is written for every request.
    exchange.access.operation = outcomes.map((o) => o.operationName ?? "-").join(",");
    if (codes.some((c) => c.length > 0)) exchange.access.errorCodes = codes.flat().join(",");
    if (metrics)
      for (const [i, outcome] of outcomes.entries()) metrics.operation(outcome.operationName, codes[i] ?? []);
  }
}

const ROUTES = new Set([GRAPHQL_PATH, "/healthz", "/readyz"]);

/** application/json, in UTF-8 (the spec's only encoding), whatever the case and parameters. */
function isJsonBody(contentType: string | undefined): boolean {
  if (contentType === JSON_TYPE) return true;
  const charset = parameter(contentType, "charset");
  return essence(contentType) === JSON_TYPE && (charset === undefined || charset === "utf-8" || charset === "utf8");
}

/** GraphQL over HTTP: with application/json every GraphQL answer is 200; the newer type says 400 for requests. */
function statusOf(outcome: Outcome, type: AnswerType): number {
  if (outcome.mutationViaGet) return 405;
  return outcome.requestError && type === GRAPHQL_RESPONSE ? 400 : 200;
}

/** graphql-jit's compiled serialiser when the result has one and no errors (its schema covers data only). */
function serialize(result: AnswerResult & { stringify?: (value: unknown) => string }): string {
  if (!result.errors && typeof result.stringify === "function") return result.stringify(result);
  return JSON.stringify(result);
}

function send(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON_TYPE, JSON.stringify(body));
}

function nothingHere(exchange: Exchange): void {
  refuse(exchange, 404, "BAD_USER_INPUT", `Nothing here: GraphQL is served at ${GRAPHQL_PATH}.`);
}

/** A refusal before GraphQL runs: the same `{errors}` shape, fixed codes and ids as GraphQL errors. */
function refuse(exchange: Exchange, status: number, code: string, message: string): void {
  exchange.access.errorCodes = code;
  json(exchange.res, status, refusal(message, code, exchange.ids));
}

function refusal(message: string, code: string, ids: Record<string, string>) {
  return { errors: [{ message, extensions: { code, ...ids } }] };
}

function preflight(res: ServerResponse): void {
  res.writeHead(204, {
    "access-control-allow-methods": "GET, POST",
    "access-control-allow-headers": CORS_HEADERS,
    "access-control-max-age": "600",
  });
  res.end();
}

function pathOf(url: string | undefined): string {
  const path = url ?? "/";
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}
