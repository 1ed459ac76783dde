import type { Vendor } from "@taskbridge/sandbox";
import type { SandboxInfo } from "./sandbox-process.ts";

export const VENDORS: readonly Vendor[] = ["maxai", "cakewalk", "capy", "maxsight"];
/** The two systems every scenario compares. */
export type SystemName = "proxy" | "taskbridge";
/** A telemetry feature of the service (issue 26), measured against Taskbridge as it is. */
export type Telemetry = "metrics" | "tracing";
export const TELEMETRY: readonly Telemetry[] = ["metrics", "tracing"];
/** Taskbridge with one telemetry feature on. */
export type VariantName = `taskbridge+${Telemetry}`;
/** Every system a run can measure. */
export type RunSystemName = SystemName | VariantName;
export type ScenarioName = `task:${Vendor}` | "tasks50" | "list20";

/** One HTTP request shape; `bodies` rotate per connection so no two connections replay the same sequence. */
export interface RequestPlan {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  bodies: string[];
}

const GRAPHQL_VENDOR: Record<Vendor, string> = {
  maxai: "MAX_AI",
  cakewalk: "CAKEWALK",
  capy: "CAPY",
  maxsight: "MAXSIGHT",
};

/** The usual fields of a single-task read. */
export const TASK_QUERY =
  "query Task($id: ID!, $vendor: Vendor!) { task(id: $id, vendor: $vendor) { id vendor vendorId title description status vendorStatus createdAt updatedAt } }";

/** 50 tasks with who they are assigned to (and the person, which Max AI and Cakewalk embed). */
export const TASKS_QUERY =
  "query Tasks($refs: [TaskRefInput!]!) { tasks(refs: $refs) { ref { id vendor } error { code } task { id vendor vendorId title status vendorStatus updatedAt assignedProviders { id kind person { displayName } } } } }";

export const BATCH_SIZE = 50;

/** A cross-vendor page of 20: the first page of the listing over the four vendors. */
export const LIST_QUERY =
  "query Page($first: Int!) { taskList(first: $first) { edges { node { id vendor vendorId title status vendorStatus updatedAt } } pageInfo { hasNextPage endCursor } vendorErrors { vendor code } } }";
export const LIST_PAGE = 20;
/** Different task ids per request: the upstream's answers differ, and nothing repeats in lockstep. */
const VARIANTS = 16;

export interface TaskRef {
  id: string;
  vendor: Vendor;
}

/**
 * Batch i: 30 Max AI and 20 Cakewalk tasks that have an assignee (their people are a small shared staff),
 * starting at offset i so each batch is a different set of tasks over the same handful of people.
 */
export function batchRefs(sandbox: SandboxInfo, variant: number): TaskRef[] {
  const maxai = assigned(sandbox.maxai.seed.taskIds, sandbox.maxai.seed.unassigned);
  const cakewalk = assigned(sandbox.cakewalk.seed.taskIds, sandbox.cakewalk.seed.unassigned);
  const take = (ids: string[], n: number) =>
    Array.from({ length: n }, (_, k) => ids[(variant + k) % ids.length] as string);
  return [
    ...take(maxai, 30).map((id) => ({ id, vendor: "maxai" as const })),
    ...take(cakewalk, Math.min(20, cakewalk.length)).map((id) => ({ id, vendor: "cakewalk" as const })),
  ].slice(0, BATCH_SIZE);
}

function assigned(all: string[], unassigned: string[]): string[] {
  const skip = new Set(unassigned);
  return all.filter((id) => !skip.has(id));
}

export function scenarios(vendors: readonly Vendor[]): ScenarioName[] {
  return [...vendors.map((v) => `task:${v}` as const), "tasks50", "list20"];
}

/** Single-task reads: the scenarios measured at a fixed rate and in bursts too. */
export function isSingle(scenario: ScenarioName): boolean {
  return scenario.startsWith("task:");
}

/** The request the given system receives for a scenario: GraphQL for Taskbridge, the tiny JSON API for the proxy. */
export function requestPlan(system: RunSystemName, scenario: ScenarioName, sandbox: SandboxInfo): RequestPlan {
  const headers = { "content-type": "application/json" };
  if (scenario === "list20") {
    const body =
      system === "proxy"
        ? JSON.stringify({ first: LIST_PAGE })
        : JSON.stringify({ query: LIST_QUERY, variables: { first: LIST_PAGE } });
    return { method: "POST", path: system === "proxy" ? "/list" : "/graphql", headers, bodies: [body] };
  }
  if (scenario === "tasks50") {
    const sets = Array.from({ length: VARIANTS }, (_, i) => batchRefs(sandbox, i));
    const bodies =
      system === "proxy"
        ? sets.map((refs) => JSON.stringify({ refs }))
        : sets.map((refs) =>
            JSON.stringify({
              query: TASKS_QUERY,
              variables: { refs: refs.map((r) => ({ id: r.id, vendor: GRAPHQL_VENDOR[r.vendor] })) },
            }),
          );
    return { method: "POST", path: system === "proxy" ? "/tasks" : "/graphql", headers, bodies };
  }
  const vendor = scenario.slice("task:".length) as Vendor;
  const ids = sandbox[vendor].seed.taskIds.slice(0, VARIANTS);
  const bodies =
    system === "proxy"
      ? ids.map((id) => JSON.stringify({ id, vendor }))
      : ids.map((id) => JSON.stringify({ query: TASK_QUERY, variables: { id, vendor: GRAPHQL_VENDOR[vendor] } }));
  return { method: "POST", path: system === "proxy" ? "/task" : "/graphql", headers, bodies };
}

/** A response is good when it is a 200 whose JSON has data and no errors (GraphQL reports failures in a 200). */
export function goodBody(body: string): boolean {
  return body.startsWith('{"data":') && !body.includes('"errors"') && !body.includes('"error":{');
}

/** Distinct API keys, one per connection. */
export function apiKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `tb_bench_${String(i).padStart(4, "0")}_${(i * 2654435761) >>> 0}`);
}
