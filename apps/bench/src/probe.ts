import type { Vendor } from "@taskbridge/sandbox";
import { clearUpstreamCounts, type SandboxInfo, upstreamCounts } from "./sandbox-process.ts";
import { goodBody, type RequestPlan } from "./workload.ts";

export interface UpstreamProbe {
  /** The answer was a 200 with data and no errors. */
  ok: boolean;
  calls: number;
  /** Reads of tasks (GET …/tasks/:id). */
  taskReads: number;
  /** Person lookups (Max AI providers, Cakewalk users). */
  lookups: number;
  byRoute: Record<string, number>;
  /** Calls that carried a W3C traceparent: all of them when the caller traces, none when it does not. */
  traced: number;
  /** Distinct assignees in the answer: the most lookups a query may need. */
  distinctPeople: number;
}

const PERSON_ROUTE = /\/(v4\/providers|api\/v1\/Users)\//i;

/** Sends one request alone and counts what reached the vendors: exact upstream calls per query. */
export async function probeUpstream(
  origin: string,
  plan: RequestPlan,
  key: string,
  sandbox: SandboxInfo,
): Promise<UpstreamProbe> {
  await clearUpstreamCounts(sandbox);
  const response = await fetch(`${origin}${plan.path}`, {
    method: plan.method,
    headers: { ...plan.headers, authorization: `Bearer ${key}` },
    body: plan.bodies[0],
  });
  const text = await response.text();
  const counts = await upstreamCounts(sandbox, 1_000);
  const byRoute: Record<string, number> = {};
  let calls = 0;
  let lookups = 0;
  let traced = 0;
  for (const vendor of Object.keys(counts) as Vendor[]) {
    calls += counts[vendor].total;
    traced += counts[vendor].traced;
    for (const [route, n] of Object.entries(counts[vendor].byPath)) {
      byRoute[`${vendor} ${route}`] = n;
      if (PERSON_ROUTE.test(route)) lookups += n;
    }
  }
  return {
    ok: response.status === 200 && goodBody(text),
    calls,
    taskReads: calls - lookups,
    lookups,
    byRoute,
    traced,
    distinctPeople: distinctAssignees(text),
  };
}

/** Distinct `assignedProviders[].id` values anywhere in the answer. */
function distinctAssignees(text: string): number {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === "assignedProviders" && Array.isArray(child)) {
        for (const a of child) if (a && typeof a === "object" && "id" in a) ids.add(String(a.id));
      }
      walk(child);
    }
  };
  try {
    walk(JSON.parse(text));
  } catch {
    return 0;
  }
  return ids.size;
}
