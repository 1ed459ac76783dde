import { fileURLToPath } from "node:url";
import type { SandboxCredentials, SandboxSeedIds, Vendor } from "@taskbridge/sandbox";
import { type Child, spawnChild } from "./child.ts";

export type SandboxInfo = {
  [V in Vendor]: { url: string; origin: string; credentials: SandboxCredentials[V]; seed: SandboxSeedIds[V] };
};

export type SandboxProcess = Child<SandboxInfo>;

const SCRIPT = fileURLToPath(new URL("./sandbox-main.ts", import.meta.url));
/**
 * A small young generation: many short scavenges instead of few long ones. The sandbox's pauses delay both systems
 * alike but blur the tail being compared.
 */
const SANDBOX_NODE_FLAGS = ["--max-semi-space-size=2"];

/** The sandbox in its own process, so its CPU is never the system under test's. */
export function startSandboxProcess(delayMs: number): Promise<SandboxProcess> {
  return spawnChild<SandboxInfo>(SCRIPT, { input: { delayMs }, execArgv: SANDBOX_NODE_FLAGS });
}

/**
 * Requests each vendor simulator has received since its log was last cleared, split by path, and how many carried
 * a W3C `traceparent` (what a traced caller sends).
 */
export type UpstreamCounts = Record<Vendor, { total: number; byPath: Record<string, number>; traced: number }>;

/** Reads the request logs over the admin routes (`GET /__sandbox/requests`). */
export async function upstreamCounts(info: SandboxInfo, limit = 10_000): Promise<UpstreamCounts> {
  const entries = await Promise.all(
    (Object.keys(info) as Vendor[]).map(async (vendor) => {
      const response = await fetch(`${info[vendor].origin}/__sandbox/requests?limit=${limit}`);
      const body = (await response.json()) as {
        count: number;
        entries: { path: string; headers: Record<string, unknown> }[];
      };
      const byPath: Record<string, number> = {};
      let traced = 0;
      for (const entry of body.entries) {
        const route = routeOf(entry.path);
        byPath[route] = (byPath[route] ?? 0) + 1;
        if (entry.headers.traceparent) traced++;
      }
      return [vendor, { total: body.count, byPath, traced }] as const;
    }),
  );
  return Object.fromEntries(entries) as UpstreamCounts;
}

/** Clears every vendor's request log (`DELETE /__sandbox/requests`). */
export async function clearUpstreamCounts(info: SandboxInfo): Promise<void> {
  await Promise.all(
    (Object.keys(info) as Vendor[]).map((vendor) =>
      fetch(`${info[vendor].origin}/__sandbox/requests`, { method: "DELETE" }).then((r) => r.arrayBuffer()),
    ),
  );
}

/** `/v2/tasks/a1b2…` → `/v2/tasks/:id`: counts by route, not by id. */
function routeOf(path: string): string {
  return path.replace(/\/[^/]*\d[^/]*$/, "/:id");
}
