/**
 * The bytes of vendor answers the service holds: one request may read at most `limits.vendorBytes` of them, and all
 * requests in flight together `limits.vendorBytesInFlight`. A loopback server poses as Maxsight and answers every
 * task read with a large body; everything is asked through GraphQL over real HTTP.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Loopback, startLoopback } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack, testConfig } from "./e2e-support.ts";
import { Metrics } from "./telemetry/metrics.ts";

const KIB = 1024;
/** Each task read answers about this many bytes. */
const TASK_BYTES = 100 * KIB;

let sandbox: Sandbox;
let vendor: Loopback;
let stack: Stack | undefined;
/** Reads of these ids are answered only once `release()` is called (their headers and half the body go at once). */
const held = new Map<string, ServerResponse[]>();

function taskBody(id: string): string {
  const task = { id, status: "INCOMPLETE", created_at: "2026-06-15T10:00:00Z", updated_at: "2026-06-15T10:00:00Z" };
  const empty = JSON.stringify({ ...task, custom_metadata: { blob: "" } }).length;
  return JSON.stringify({ ...task, custom_metadata: { blob: "x".repeat(TASK_BYTES - empty) } });
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const id = /^\/v5\/tasks\/([^/?]+)$/.exec(req.url ?? "")?.[1] ?? "";
  const body = taskBody(decodeURIComponent(id));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  if (!id.startsWith("0000")) return void res.end(body);
  res.write(body.slice(0, body.length / 2));
  held.set(id, [...(held.get(id) ?? []), res]);
  res.once("close", () => held.delete(id));
}

function release(): void {
  for (const [id, responses] of held) for (const res of responses) res.end(taskBody(id).slice(TASK_BYTES / 2));
}

beforeAll(async () => {
  sandbox = await startSandbox();
  vendor = await startLoopback((req, res) => answer(req, res));
});
afterEach(async () => {
  release();
  await stack?.close();
});
afterAll(async () => {
  await vendor.close();
  await sandbox.close();
});

async function start(limits: { vendorBytes: number; vendorBytesInFlight: number }, metrics?: Metrics): Promise<Stack> {
  stack = await startStack({
    sandbox,
    app: { limits, metrics },
    config: (s) => {
      const config = testConfig(s);
      const tenant = config.tenants[0];
      if (tenant) tenant.connections = { maxsight: { ...tenant.connections.maxsight, baseUrl: vendor.url } };
      return config;
    },
  });
  return stack;
}

const uuid = (i: number, prefix = "1") =>
  `${prefix.repeat(4)}${String(i).padStart(4, "0")}-0000-4000-8000-000000000000`;
const TASKS = `query($refs: [TaskRefInput!]!) { tasks(refs: $refs) { task { id } error { code message retryable } } }`;
const refs = (ids: string[]) => ({ refs: ids.map((id) => ({ vendor: "MAXSIGHT", id })) });

describe("vendor answers one request may hold", () => {
  it("a request whose answers pass its budget gets BAD_USER_INPUT for the reads past it; the next request is served", async () => {
    const metrics = new Metrics();
    const { gql } = await start({ vendorBytes: 350 * KIB, vendorBytesInFlight: 10 * 1024 * KIB }, metrics);
    const ids = Array.from({ length: 8 }, (_, i) => uuid(i));
    const { body } = await gql(TASKS, { variables: refs(ids) });
    const items: {
      task: { id: string } | null;
      error: { code: string; message: string; retryable: boolean } | null;
    }[] = body.data.tasks;
    const served = items.filter((item) => item.task);
    const refused = items.filter((item) => item.error);
    // A body is counted whole by its Content-Length: 3 of 100 KiB fit 350 KiB, a fourth does not.
    expect(served).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const { error } of refused) {
      expect(error).toMatchObject({ code: "BAD_USER_INPUT", retryable: false });
      expect(error?.message).toContain(`${350 * KIB} bytes`);
    }
    // The calls refused by the budget are counted apart from the vendor's errors and our own faults.
    const outcomes = (await metrics.vendorCalls.get()).values.filter((v) => v.metricName?.endsWith("_count"));
    const count = (outcome: string) => outcomes.find((v) => v.labels.outcome === outcome)?.value;
    expect(count("ok")).toBe(3);
    expect(count("body_budget")).toBe(5);
    // The budget is the request's: the next one reads again.
    const next = await gql(TASKS, { variables: refs(ids.slice(0, 3)) });
    expect(next.body.data.tasks.map((item: { task: unknown }) => item.task)).not.toContain(null);
  });
});

describe("vendor answers all requests in flight may hold", () => {
  it("past it a read is RATE_LIMITED by Taskbridge with a retry hint; once those requests end, reads are served again", async () => {
    const { gql } = await start({ vendorBytes: 1024 * KIB, vendorBytesInFlight: 250 * KIB });
    // Two reads held open hold 200 KiB of the 250 between them.
    const holding = gql(TASKS, { variables: refs([uuid(1, "0"), uuid(2, "0")]) });
    await expect.poll(() => held.size).toBe(2);
    const { body } = await gql(TASKS, { variables: refs([uuid(3)]) });
    const [item] = body.data.tasks;
    expect(item.task).toBeNull();
    expect(item.error).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    const full = await gql(`{ task(vendor: MAXSIGHT, id: "${uuid(4)}") { id } }`);
    expect(full.body.errors[0].extensions).toMatchObject({ code: "RATE_LIMITED", limitedBy: "taskbridge" });
    expect(full.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);

    release();
    const first = await holding;
    expect(first.body.data.tasks.map((i: { task: unknown }) => i.task)).not.toContain(null);
    const after = await gql(TASKS, { variables: refs([uuid(5), uuid(6)]) });
    expect(after.body.data.tasks.map((i: { task: unknown }) => i.task)).not.toContain(null);
  });
});
