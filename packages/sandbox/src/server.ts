import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin } from "./admin.ts";
import type { FaultPlan, Faults } from "./faults.ts";
import type { RequestLog } from "./request-log.ts";
import type { Incoming, Reply, Simulator } from "./simulator.ts";
import type { RequestEntry } from "./types.ts";

export interface VendorServerOptions {
  simulator: Simulator;
  faults: Faults;
  log: RequestLog;
  host: string;
  port: number;
  /** Added to every answer (a fixed upstream delay for benchmarks). */
  latencyMs: number;
  now: () => number;
  /** Everything `POST /__sandbox/reset` restores. */
  reset: () => void;
}

export interface VendorServer {
  /** `http://host:port` (no base path). */
  origin: string;
  port: number;
  /** Sockets open right now (to check that clients do not leak connections). */
  connections(): Promise<number>;
  close(): Promise<void>;
}

const ADMIN_PREFIX = "/__sandbox/";
const MAX_BODY_BYTES = 1024 * 1024;
/** Slow bodies go out in about this many pieces (at least SLOW_MIN_CHUNK bytes each). */
const SLOW_CHUNKS = 8;
const SLOW_MIN_CHUNK = 16;

/** Serves one simulator over node:http with keep-alive, fault injection, a request log and `/__sandbox/*` admin routes. */
export async function startVendorServer(options: VendorServerOptions): Promise<VendorServer> {
  const { simulator, faults, log, latencyMs, now } = options;

  /**
   * Delayed answers: after close() they do nothing, and unref'd they hold no process open. Not kept in a Set to
   * clear them: a Set would keep every request's objects alive into the old generation.
   */
  let closed = false;
  const later = (fn: () => void, ms: number) => {
    setTimeout(() => {
      if (!closed) fn();
    }, ms).unref();
  };

  const respond = (req: IncomingMessage, res: ServerResponse, incoming: Incoming, entry: RequestEntry) => {
    const plan = faults.decide(incoming.method, incoming.path);
    const delay = latencyMs + (plan?.latencyMs ?? 0);
    if (delay > 0) later(() => answer(req, res, incoming, entry, plan), delay);
    else answer(req, res, incoming, entry, plan);
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    incoming: Incoming,
    entry: RequestEntry,
    plan: FaultPlan | undefined,
  ) => {
    let reply: Reply;
    const instead = plan?.instead;
    if (instead) {
      entry.fault = instead.kind;
      if (instead.kind === "reset") {
        req.socket.resetAndDestroy();
        return;
      }
      if (instead.kind === "hang") return; // closeAllConnections() on close() ends it
      if (instead.kind === "answer") {
        const { status, headers = {}, body } = instead.answer;
        reply = { status, headers: { ...headers }, body };
      } else if (instead.kind === "rate_limit") reply = simulator.tooManyRequests(instead.retryAfter);
      else reply = simulator.serverError(instead.status);
    } else {
      try {
        reply = simulator.handle(incoming);
      } catch {
        reply = simulator.serverError(500);
      }
    }
    if (plan?.spoil === "lost_response") {
      // The vendor did the work; only the answer is lost on the way back.
      entry.fault = "lost_response";
      entry.status = reply.status;
      req.socket.resetAndDestroy();
      return;
    }
    if (plan?.spoil) {
      entry.fault = plan.spoil;
      reply = spoil(simulator, reply, plan.spoil);
    }
    entry.status = reply.status;
    if (plan?.spoil === "truncate") return sendTruncated(res, reply);
    if (plan && plan.slowBodyMs > 0) {
      entry.fault ??= "slow_body";
      return sendSlowly(res, reply, plan.slowBodyMs, later);
    }
    reply.headers["content-length"] = String(Buffer.byteLength(reply.body));
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };

  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);
    const method = req.method ?? "GET";
    if (path.startsWith(ADMIN_PREFIX)) {
      readBody(req, (body) => handleAdmin({ method, path, query, body }, res, { ...options }));
      return;
    }
    const entry = log.record({ at: now(), method, path, query, headers: req.headers });
    if (method === "GET" || method === "HEAD") {
      respond(req, res, { method, path, query, headers: req.headers, body: undefined }, entry);
      return;
    }
    readBody(req, (body) => {
      if (body === undefined) {
        entry.status = 413;
        res.writeHead(413, { "content-type": "text/plain", connection: "close" }).end("Payload Too Large");
        return;
      }
      if (body !== "") entry.body = body;
      respond(req, res, { method, path, query, headers: req.headers, body }, entry);
    });
  });
  server.headersTimeout = 66_000;
  server.requestTimeout = 0; // hanging requests are the point of the hang fault

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    origin: `http://${host}:${port}`,
    port,
    connections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Calls back with the body text, or undefined when it is larger than MAX_BODY_BYTES. */
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on("end", () => done(tooLarge ? undefined : Buffer.concat(chunks).toString("utf8")));
  req.on("error", () => {});
}

function spoil(simulator: Simulator, reply: Reply, kind: NonNullable<FaultPlan["spoil"]>): Reply {
  if (kind === "truncate") return reply;
  const headers = { ...reply.headers, "content-type": "application/json; charset=utf-8" };
  if (kind === "malformed_json") {
    // A strict prefix of a JSON object is never valid JSON; the HTTP message itself stays complete.
    const half = reply.body.slice(0, Math.floor(reply.body.length / 2));
    return { status: 200, headers, body: half === "" ? "{" : half };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    parsed = undefined;
  }
  return { status: 200, headers, body: JSON.stringify(simulator.breakSchema(reply.status < 300 ? parsed : undefined)) };
}

function sendTruncated(res: ServerResponse, reply: Reply): void {
  const body = Buffer.from(reply.body);
  reply.headers["content-length"] = String(body.length);
  res.writeHead(reply.status, reply.headers);
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
}

function sendSlowly(
  res: ServerResponse,
  reply: Reply,
  pauseMs: number,
  later: (fn: () => void, ms: number) => void,
): void {
  const body = Buffer.from(reply.body);
  reply.headers["content-length"] = String(body.length);
  res.writeHead(reply.status, reply.headers);
  res.flushHeaders();
  const size = Math.max(SLOW_MIN_CHUNK, Math.ceil(body.length / SLOW_CHUNKS));
  let offset = 0;
  const step = () => {
    if (res.destroyed) return;
    const end = Math.min(body.length, offset + size);
    const chunk = body.subarray(offset, end);
    offset = end;
    if (offset >= body.length) res.end(chunk);
    else res.write(chunk, () => later(step, pauseMs));
  };
  later(step, pauseMs);
}
