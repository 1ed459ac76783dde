import type { ServerResponse } from "node:http";
import type { Faults } from "./faults.ts";
import type { RequestLog } from "./request-log.ts";
import type { Simulator } from "./simulator.ts";
import type { FaultSpec, RequestEntry, RequestFilter } from "./types.ts";

interface AdminContext {
  simulator: Simulator;
  faults: Faults;
  log: RequestLog;
  reset: () => void;
}

interface AdminRequest {
  method: string;
  path: string;
  query: string;
  body: string | undefined;
}

/** Headers whose values are credentials: shown as "[redacted]" over HTTP (the programmatic log keeps them). */
const SECRET_HEADERS = new Set(["authorization", "x-api-key", "x-api-secret", "apikey"]);

/**
 * `/__sandbox/*`: the same controls as the programmatic API, for curl and other processes.
 *   GET|POST|DELETE /__sandbox/faults   (POST replaces; `?mode=add` appends; JSON FaultSpec, `match.pathRegex` for a RegExp)
 *   GET|DELETE      /__sandbox/requests (GET takes `method`, `path` or `pathRegex`, and `limit` query parameters)
 *   POST            /__sandbox/reset
 *   POST            /__sandbox/states   ({state, params} — Pact's provider-state setup call; teardown is a no-op)
 *   GET             /__sandbox/seed
 */
export function handleAdmin(req: AdminRequest, res: ServerResponse, ctx: AdminContext): void {
  let status = 200;
  let body: unknown;
  try {
    [status, body] = route(req, ctx);
  } catch (error) {
    [status, body] = [400, { error: error instanceof Error ? error.message : String(error) }];
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function route(req: AdminRequest, ctx: AdminContext): [number, unknown] {
  const name = `${req.method} ${req.path.replace(/\/+$/, "")}`;
  const params = new URLSearchParams(req.query);
  switch (name) {
    case "GET /__sandbox/faults":
      return [200, { faults: ctx.faults.list().map(faultToJson) }];
    case "POST /__sandbox/faults": {
      const spec = faultFromJson(parseBody(req.body));
      if (params.get("mode") === "add") ctx.faults.add(spec);
      else ctx.faults.set(spec);
      return [200, { faults: ctx.faults.list().map(faultToJson) }];
    }
    case "DELETE /__sandbox/faults":
      ctx.faults.clear();
      return [200, { faults: [] }];
    case "GET /__sandbox/requests": {
      const filter = filterFromQuery(params);
      const limit = Number(params.get("limit") ?? 100);
      const entries = ctx.log.entries(filter);
      const recent = entries.slice(Math.max(0, entries.length - limit)).map(entryToJson);
      return [200, { count: ctx.log.count(filter), entries: recent }];
    }
    case "DELETE /__sandbox/requests":
      ctx.log.clear();
      return [200, { count: 0 }];
    case "POST /__sandbox/reset":
      ctx.reset();
      return [200, { reset: true }];
    case "POST /__sandbox/states": {
      const body = parseBody(req.body) as { state?: unknown; params?: unknown; action?: unknown };
      if (body.action === "teardown") return [200, {}];
      const handler = typeof body.state === "string" ? ctx.simulator.states[body.state] : undefined;
      if (!handler) return [400, { error: `unknown provider state ${JSON.stringify(body.state)}` }];
      handler(isRecord(body.params) ? body.params : {});
      return [200, {}];
    }
    case "GET /__sandbox/seed":
      return [200, ctx.simulator.seed];
    default:
      return [404, { error: `no admin route ${name}` }];
  }
}

function parseBody(body: string | undefined): unknown {
  if (!body) return {};
  return JSON.parse(body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function faultFromJson(value: unknown): FaultSpec {
  if (!isRecord(value)) throw new Error("fault spec must be a JSON object");
  const spec = { ...value } as FaultSpec & { match?: { pathRegex?: string } };
  if (isRecord(value.match)) {
    const { pathRegex, ...match } = value.match as { method?: string; path?: string; pathRegex?: string };
    spec.match = pathRegex === undefined ? match : { ...match, path: new RegExp(pathRegex) };
  }
  return spec;
}

function faultToJson(spec: FaultSpec): unknown {
  const path = spec.match?.path;
  if (!(path instanceof RegExp)) return spec;
  const { path: _path, ...match } = spec.match ?? {};
  return { ...spec, match: { ...match, pathRegex: path.source } };
}

function filterFromQuery(params: URLSearchParams): RequestFilter | undefined {
  const method = params.get("method") ?? undefined;
  const regex = params.get("pathRegex");
  const path = regex ? new RegExp(regex) : (params.get("path") ?? undefined);
  return method || path ? { method, path } : undefined;
}

function entryToJson(entry: RequestEntry): unknown {
  const headers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entry.headers))
    headers[name] = SECRET_HEADERS.has(name) ? "[redacted]" : value;
  return { ...entry, headers };
}
