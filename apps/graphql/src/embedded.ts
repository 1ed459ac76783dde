import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import type { ExampleIds } from "./examples.ts";
import { type ResolvedTenant, resolveConfig, type TaskbridgeConfigInput } from "./tenants.ts";

export const DEMO_TENANT_ID = "demo";

/** The demo tenant's config: a connection to each vendor the sandbox simulates, with its credentials. */
export function demoConfig(sandbox: Sandbox, apiKey: string): TaskbridgeConfigInput {
  const connections = Object.values(sandbox.vendors).map((v) => [v.vendor, { baseUrl: v.url, ...v.credentials }]);
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
  };
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
