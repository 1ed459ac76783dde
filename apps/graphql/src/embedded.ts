import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import type { ExampleIds } from "./examples.ts";
import { type ResolvedTenant, resolveConfig, type TaskbridgeConfigInput } from "./tenants.ts";

export const DEMO_TENANT_ID = "demo";

/**
 * The demo tenant's config: a connection to each vendor the sandbox simulates, with its credentials; task listings
 * of Cakewalk and Capy are scoped to the seed's example user and project.
 */
export function demoConfig(sandbox: Sandbox, apiKey: string): TaskbridgeConfigInput {
  const listScopes: Partial<Record<string, string>> = {
    cakewalk: sandbox.vendors.cakewalk.seed.example.userId,
    capy: sandbox.vendors.capy.seed.example.projectId,
  };
  const connections = Object.values(sandbox.vendors).map((v) => {
    const listScope = listScopes[v.vendor];
    return [v.vendor, { baseUrl: v.url, ...v.credentials, ...(listScope ? { listScope } : {}) }];
  });
  return {
    tenants: [
      {
        id: DEMO_TENANT_ID,
        name: "Demo (sandbox vendors)",
        apiKeys: [apiKey],
        connections: Object.fromEntries(connections),
      },
    ],
  };
}

export function sandboxExampleIds(sandbox: Sandbox): ExampleIds {
  const { maxai, cakewalk, capy, maxsight } = sandbox.vendors;
  return {
    maxaiTaskId: maxai.seed.example.v4TaskId,
    cakewalkTaskId: cakewalk.seed.example.taskId,
    capyTaskId: capy.seed.example.taskId,
    maxsightTaskId: maxsight.seed.example.taskId,
    maxaiNoteId: maxai.seed.example.noteId,
    maxaiProviderId: maxai.seed.example.providerId,
    capyProjectId: capy.seed.example.projectId,
    cakewalkPendingTaskIds: pair(cakewalk.seed.byStatus.Pending),
    cakewalkUserId: cakewalk.seed.example.userId,
    capyRunningTaskIds: pair(capy.seed.byStatus.in_progress),
    maxsightUnassigned: versioned(maxsight.seed.unassigned[0], maxsight.seed.versions),
    maxsightAssigned: versioned(maxsight.seed.example.taskId, maxsight.seed.versions),
    maxsightTeamId: maxsight.seed.teamIds[0] as string,
    maxsightActorId: maxsight.seed.personIds[0] as string,
  };
}

function versioned(id: string | undefined, versions: Record<string, string>): { id: string; version: string } {
  const version = id === undefined ? undefined : versions[id];
  if (id === undefined || version === undefined) throw new Error("the sandbox seed has no such Maxsight task");
  return { id, version };
}

function pair(ids: readonly string[] | undefined): readonly [string, string] {
  const [a, b] = ids ?? [];
  if (a === undefined || b === undefined) throw new Error("the sandbox seed has fewer than two such tasks");
  return [a, b];
}

/** Starts the sandbox vendors on loopback and returns the demo tenant that uses them. */
export async function startEmbedded(options: { apiKey: string; host?: string }): Promise<{
  sandbox: Sandbox;
  tenants: ResolvedTenant[];
  examples: ExampleIds;
}> {
  const sandbox = await startSandbox(options.host ? { host: options.host } : {});
  try {
    const tenants = resolveConfig(demoConfig(sandbox, options.apiKey), () => undefined);
    return { sandbox, tenants, examples: sandboxExampleIds(sandbox) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
