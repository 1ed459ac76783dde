/**
 * Test support: make a sandbox vendor answer one task read with exactly the payload a test wants (the sandbox's
 * `answer` fault), starting from the task the vendor itself sends.
 */
import type { Sandbox, Vendor } from "@taskbridge/sandbox";

export type Json = Record<string, unknown>;

interface VendorAnswerShape {
  /** The GraphQL `Vendor` enum name. */
  graphql: string;
  /** getTask's route as the sandbox sees it (Capy's base URL ends in /api). */
  route: (id: string) => string;
  /** The task object inside a getTask body, and back. */
  taskOf: (body: Json) => Json;
  wrap: (task: Json) => Json;
  /** The id of the seeded example task, as a caller asks for it. */
  exampleId: (sandbox: Sandbox) => string;
}

export const VENDOR_ANSWERS: Record<Vendor, VendorAnswerShape> = {
  maxai: {
    graphql: "MAX_AI",
    route: (id) => `/v2/tasks/${id}`,
    taskOf: (body) => body.data as Json,
    wrap: (task) => ({ code: "success", data: task }),
    exampleId: (sandbox) => sandbox.vendors.maxai.seed.example.v4TaskId,
  },
  cakewalk: {
    graphql: "CAKEWALK",
    route: (id) => `/api/v1/Tasks/${id}`,
    taskOf: (body) => body.data as Json,
    wrap: (task) => ({ data: task, links: { self: `/api/v1/Tasks/${String(task.id)}`, next: null } }),
    exampleId: (sandbox) => sandbox.vendors.cakewalk.seed.example.taskId,
  },
  capy: {
    graphql: "CAPY",
    route: (id) => `/api/v1/tasks/${id}`,
    taskOf: (body) => body,
    wrap: (task) => task,
    exampleId: (sandbox) => sandbox.vendors.capy.seed.example.taskId,
  },
  maxsight: {
    graphql: "MAXSIGHT",
    route: (id) => `/v5/tasks/${id}`,
    taskOf: (body) => body,
    wrap: (task) => task,
    exampleId: (sandbox) => sandbox.vendors.maxsight.seed.example.taskId,
  },
};

/** The getTask body the vendor sends for one of its tasks (a v2 id for Max AI), as parsed JSON. */
export async function vendorBody(sandbox: Sandbox, vendor: Vendor, id: string): Promise<Json> {
  const v = sandbox.vendors[vendor];
  const headers: Record<string, string> = {
    maxai: { authorization: `Bearer ${sandbox.vendors.maxai.credentials.apiKey}` },
    cakewalk: {
      "x-api-key": sandbox.vendors.cakewalk.credentials.apiKey,
      "x-api-secret": sandbox.vendors.cakewalk.credentials.apiSecret,
    },
    capy: { authorization: `Bearer ${sandbox.vendors.capy.credentials.token}` },
    maxsight: { apikey: sandbox.vendors.maxsight.credentials.apiKey },
  }[vendor];
  if (vendor === "maxai") headers["x-organization-id"] = sandbox.vendors.maxai.credentials.organizationId;
  // Capy's base URL holds the /api prefix of its routes.
  const route = VENDOR_ANSWERS[vendor].route(id);
  const path = vendor === "capy" ? route.replace(/^\/api/, "") : route;
  const response = await fetch(`${v.url}${path}`, { headers });
  if (response.status !== 200) throw new Error(`${vendor} ${path}: HTTP ${response.status}`);
  return (await response.json()) as Json;
}

/** The example task of a vendor as it sends it: the task object (unwrapped) and the id to ask for. */
export async function exampleTask(sandbox: Sandbox, vendor: Vendor): Promise<{ id: string; task: Json }> {
  const shape = VENDOR_ANSWERS[vendor];
  const asked = vendor === "maxai" ? sandbox.vendors.maxai.seed.example.taskId : shape.exampleId(sandbox);
  return { id: shape.exampleId(sandbox), task: shape.taskOf(await vendorBody(sandbox, vendor, asked)) };
}

/**
 * From now on, every read of task `id` (every task when `id` is omitted) gets this answer. `body` is sent as it is
 * when it is text (so it can hold what JSON.stringify cannot write, such as an integer past 2^53).
 */
export function answerTaskRead(
  sandbox: Sandbox,
  vendor: Vendor,
  answer: { status?: number; headers?: Record<string, string>; body: Json | string },
  id?: string,
): void {
  const { status = 200, headers = {}, body } = answer;
  const route = VENDOR_ANSWERS[vendor].route;
  sandbox.vendors[vendor].faults.set({
    match: { method: "GET", path: id === undefined ? route(":id") : routeOf(vendor, id) },
    answer: {
      status,
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
  });
}

/** The route of one task as the client sends it (Max AI reads v2 ids). */
function routeOf(vendor: Vendor, id: string): string {
  if (vendor !== "maxai" || !id.startsWith("tsk_")) return VENDOR_ANSWERS[vendor].route(id);
  const hex = id.slice(4);
  const v2 = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return VENDOR_ANSWERS[vendor].route(v2);
}
