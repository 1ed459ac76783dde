import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Vendor } from "@taskbridge/sandbox";
import { Pool } from "undici";
import type { SandboxInfo } from "./sandbox-process.ts";

/**
 * The limit: the least a facade can do for the same answer. For each task it makes the same upstream call as the
 * vendor client (same path, headers and connection cap), parses the JSON, picks the fields the GraphQL query
 * selects (no validation, no status or timestamp normalisation) and serialises them. It also checks the caller's
 * key, as any facade must.
 *   POST /task   {"id","vendor"}           → {"data":{"task":{…}|null}}
 *   POST /tasks  {"refs":[{"id","vendor"}]} → {"data":{"tasks":[{"ref","task"}]}}  (upstream reads in parallel)
 *   POST /list   {"first"}                  → {"data":{"taskList":{"edges":[{"node"}],…}}}  (the first page across the
 *                four vendors: the same listing calls as Taskbridge's, `first` split evenly, in parallel, and Capy's
 *                read of each task it lists; merged newest update first)
 */
export interface ProxyOptions {
  sandbox: SandboxInfo;
  /** Accepted `Authorization: Bearer <key>` values. */
  apiKeys: readonly string[];
  /** Connection cap of each upstream pool (Taskbridge's clients use the same). */
  connections: number;
}

export interface Proxy {
  server: Server;
  close(): Promise<void>;
}

type Picked = Record<string, unknown>;

interface Upstream {
  pool: Pool;
  /** Path prefix of the base URL (Capy's "/api"). */
  prefix: string;
  headers: Record<string, string>;
  path(id: string): string;
  pick(wire: Record<string, unknown>): Picked;
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function createProxy(options: ProxyOptions): Proxy {
  const keys = new Set(options.apiKeys.map((key) => `Bearer ${key}`));
  const upstreams = buildUpstreams(options);

  const fetchTask = async (vendor: Vendor, id: string, withAssignees: boolean): Promise<Picked | null> => {
    const upstream = upstreams[vendor];
    const { statusCode, body } = await upstream.pool.request({
      method: "GET",
      path: `${upstream.prefix}${upstream.path(encodeURIComponent(id))}`,
      headers: upstream.headers,
    });
    const json = (await body.json()) as Record<string, unknown>;
    if (statusCode === 404) return null;
    if (statusCode !== 200) throw new Error(`${vendor} answered ${statusCode}`);
    const wire = (vendor === "maxai" || vendor === "cakewalk" ? json.data : json) as Record<string, unknown>;
    const picked = upstream.pick(wire);
    if (!withAssignees) delete picked.assignedProviders;
    return picked;
  };

  const listPage = async (first: number): Promise<Picked[]> => {
    const share = (i: number) => Math.floor(first / 4) + (i < first % 4 ? 1 : 0);
    const get = async (
      vendor: Vendor,
      path: string,
      method = "GET",
      body?: unknown,
    ): Promise<Record<string, unknown>> => {
      const upstream = upstreams[vendor];
      const response = await upstream.pool.request({
        method: method as "GET" | "POST",
        path: `${upstream.prefix}${path}`,
        headers: body === undefined ? upstream.headers : { ...upstream.headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json = (await response.body.json()) as Record<string, unknown>;
      if (response.statusCode !== 200) throw new Error(`${vendor} answered ${response.statusCode}`);
      return json;
    };
    const { cakewalk, capy } = options.sandbox;
    const capyTasks = async () => {
      const threads = await get("capy", `/v1/threads?projectId=${capy.seed.example.projectId}&limit=${share(2)}`);
      const summaries = (threads.items as { tasks: { id: string }[] }[]).flatMap((t) => t.tasks).slice(0, share(2));
      return Promise.all(summaries.map(async ({ id }) => upstreams.capy.pick(await get("capy", `/v1/tasks/${id}`))));
    };
    const pages = await Promise.all([
      get("maxai", `/v4/tasks?page=1&pageSize=${share(0)}`).then((j) =>
        ((j.data as { tasks: Record<string, unknown>[] }).tasks ?? []).map(upstreams.maxai.pick),
      ),
      get("cakewalk", `/api/v1/Tasks?userId=${cakewalk.seed.example.userId}`).then((j) =>
        (j.data as Record<string, unknown>[]).slice(0, share(1)).map(upstreams.cakewalk.pick),
      ),
      capyTasks(),
      get("maxsight", "/v5/tasks/search", "POST", {
        filter_model: null,
        max_page_size: share(3),
        page_token: null,
        sorting_field: "TASK_ID",
        sorting_type: "ASC",
      }).then((j) => (j.items as Record<string, unknown>[]).map(upstreams.maxsight.pick)),
    ]);
    const nodes = pages.flat();
    for (const node of nodes) delete node.assignedProviders;
    return nodes.sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt))).slice(0, first);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "POST" || (req.url !== "/task" && req.url !== "/tasks" && req.url !== "/list"))
      return send(res, 404, { error: "not found" });
    if (!keys.has(req.headers.authorization ?? "")) return send(res, 401, { error: "unauthenticated" });
    const input = JSON.parse(await readBody(req)) as {
      id?: string;
      vendor?: Vendor;
      refs?: { id: string; vendor: Vendor }[];
      first?: number;
    };
    if (req.url === "/list") {
      const nodes = await listPage(input.first ?? 20);
      const taskList = { edges: nodes.map((node) => ({ node })), pageInfo: { hasNextPage: true }, vendorErrors: [] };
      return send(res, 200, { data: { taskList } });
    }
    if (req.url === "/task") {
      const task = await fetchTask(input.vendor as Vendor, input.id as string, false);
      return send(res, 200, { data: { task } });
    }
    const tasks = await Promise.all(
      (input.refs ?? []).map(async (ref) => ({ ref, task: await fetchTask(ref.vendor, ref.id, true) })),
    );
    return send(res, 200, { data: { tasks } });
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 502, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  return {
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(Object.values(upstreams).map((u) => u.pool.close()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Same routes and auth headers as the vendor clients; field picks mirror what the GraphQL queries select. */
function buildUpstreams({ sandbox, connections }: ProxyOptions): Record<Vendor, Upstream> {
  const pool = (url: string) => new Pool(new URL(url).origin, { connections });
  const prefix = (url: string) => new URL(url).pathname.replace(/\/+$/, "");
  const { maxai, cakewalk, capy, maxsight } = sandbox;
  return {
    maxai: {
      pool: pool(maxai.url),
      prefix: prefix(maxai.url),
      headers: {
        accept: "application/json",
        authorization: `Bearer ${maxai.credentials.apiKey}`,
        "x-organization-id": maxai.credentials.organizationId,
      },
      path: (id) => `/v2/tasks/${id}`,
      pick: (w) => ({
        ...common("maxai", w.id, null, w.notes, w.status, w.createdAt, w.updatedAt),
        assignedProviders: ((w.assignedProviders as Record<string, unknown>[] | undefined) ?? []).map((p) => ({
          id: p.id,
          kind: "PROVIDER",
          person: {
            displayName: [text(p.displayFirstName), text(p.displayLastName)].filter(Boolean).join(" ") || null,
          },
        })),
      }),
    },
    cakewalk: {
      pool: pool(cakewalk.url),
      prefix: prefix(cakewalk.url),
      headers: {
        accept: "application/json",
        "x-api-key": cakewalk.credentials.apiKey,
        "x-api-secret": cakewalk.credentials.apiSecret,
      },
      path: (id) => `/api/v1/Tasks/${id}`,
      pick: (w) => {
        const user = w.assignedUser as Record<string, unknown> | null | undefined;
        return {
          ...common("cakewalk", w.id, null, null, w.status, w.createdAt, w.lastUpdatedAt),
          assignedProviders: user ? [{ id: user.id, kind: "USER", person: { displayName: text(user.name) } }] : [],
        };
      },
    },
    capy: {
      pool: pool(capy.url),
      prefix: prefix(capy.url),
      headers: { accept: "application/json", authorization: `Bearer ${capy.credentials.token}` },
      path: (id) => `/v1/tasks/${id}`,
      pick: (w) => ({
        ...common("capy", w.id, w.title, w.prompt, w.status, w.createdAt, w.updatedAt),
        assignedProviders: [],
      }),
    },
    maxsight: {
      pool: pool(maxsight.url),
      prefix: prefix(maxsight.url),
      headers: { accept: "application/json", apikey: maxsight.credentials.apiKey },
      path: (id) => `/v5/tasks/${id}`,
      pick: (w) => {
        const a = w.assignment as Record<string, unknown> | null | undefined;
        return {
          ...common("maxsight", w.id, text(w.name) ?? w.c_name, null, w.status, w.created_at, w.updated_at),
          assignedProviders: a?.assigned_to_id
            ? [{ id: a.assigned_to_id, kind: a.assigned_to_type, person: null }]
            : [],
        };
      },
    },
  };
}

function common(
  vendor: Vendor,
  id: unknown,
  title: unknown,
  description: unknown,
  status: unknown,
  createdAt: unknown,
  updatedAt: unknown,
): Picked {
  return {
    id: `${vendor}:${String(id)}`,
    vendor,
    vendorId: id,
    title: title ?? null,
    description: description ?? null,
    status,
    vendorStatus: status,
    createdAt,
    updatedAt,
  };
}
