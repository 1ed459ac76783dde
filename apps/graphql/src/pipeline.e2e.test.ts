import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import type { Plugin } from "graphql-yoga";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY } from "./e2e-support.ts";

/** Every envelop hook, recorded by request id (every hook's context carries the request's scope). */
function probePlugin(seen: Map<string, string[]>): Plugin {
  const record = (context: unknown, hook: string) => {
    const id = (context as { requestId?: string } | undefined)?.requestId ?? "(no request id)";
    seen.set(id, [...(seen.get(id) ?? []), hook]);
  };
  return {
    onEnveloped: ({ context }) => record(context, "onEnveloped"),
    onParse: ({ context }) => {
      record(context, "onParse");
      return () => record(context, "onParse:done");
    },
    onValidate: ({ context }) => {
      record(context, "onValidate");
      return () => record(context, "onValidate:done");
    },
    onContextBuilding: ({ context }) => {
      record(context, "onContextBuilding");
      return () => record(context, "onContextBuilding:done");
    },
    onExecute: ({ args }) => {
      record(args.contextValue, "onExecute");
      return { onExecuteDone: () => record(args.contextValue, "onExecute:done") };
    },
    onSubscribe: ({ args }) => record(args.contextValue, "onSubscribe"),
  };
}

const EXECUTED = [
  "onEnveloped",
  "onParse",
  "onParse:done",
  "onValidate",
  "onValidate:done",
  "onContextBuilding",
  "onContextBuilding:done",
  "onExecute",
  "onExecute:done",
];
const INVALID = EXECUTED.slice(0, 5);
const UNPARSABLE = EXECUTED.slice(0, 3);

let sandbox: Sandbox;
let stack: Stack;
const seen = new Map<string, string[]>();
let n = 0;

beforeAll(async () => {
  sandbox = await startSandbox();
  // Compiled from the second execution, so repeated requests also take graphql-jit's route.
  stack = await startStack({ sandbox, app: { compileAfter: 2, plugins: [probePlugin(seen)] } });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});
beforeEach(() => seen.clear());

/** One HTTP request with a fresh request id; returns the id, the status and the hooks it fired. */
async function send(init: { method?: string; path?: string; body?: string; headers?: Record<string, string> }) {
  const id = `probe-${++n}`;
  const response = await fetch(stack.server.origin + (init.path ?? "/graphql"), {
    method: init.method ?? "POST",
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      "content-type": "application/json",
      "x-request-id": id,
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  await response.arrayBuffer();
  return { status: response.status, hooks: seen.get(id) ?? [] };
}

const post = (query: string, variables?: unknown) => send({ body: JSON.stringify({ query, variables }) });
const capyTask = () => `{ task(vendor: CAPY, id: "${sandbox.vendors.capy.seed.example.taskId}") { id } }`;

describe("one pipeline: every GraphQL request passes every envelop hook exactly once", () => {
  it("a query, the first time and every time after (cached parse and validation, then compiled)", async () => {
    const query = `query Repeated ${capyTask()}`;
    for (let i = 0; i < 4; i++) expect(await post(query)).toEqual({ status: 200, hooks: EXECUTED });
  });

  it("a mutation", async () => {
    const { maxai } = sandbox.vendors;
    const input = {
      maxAi: {
        noteId: maxai.seed.example.noteId,
        providerId: maxai.seed.example.providerId,
        notes: "probe",
        assigneeIds: [maxai.seed.example.providerId],
      },
    };
    const mutation = "mutation C($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }";
    expect(await post(mutation, { input })).toEqual({ status: 200, hooks: EXECUTED });
  });

  it("a GET", async () => {
    const path = `/graphql?query=${encodeURIComponent(capyTask())}`;
    expect(await send({ method: "GET", path })).toEqual({ status: 200, hooks: EXECUTED });
  });

  it("a batch: each operation once", async () => {
    const body = JSON.stringify([{ query: capyTask() }, { query: "{ __typename }" }]);
    expect(await send({ body })).toEqual({ status: 200, hooks: [...EXECUTED, ...EXECUTED] });
  });

  it("requests that stop early fire the hooks up to where they stopped, once", async () => {
    expect(await post("{ nope }")).toEqual({ status: 200, hooks: INVALID });
    expect(await post("{ task(")).toEqual({ status: 200, hooks: UNPARSABLE });
    expect(await post("{ task(")).toEqual({ status: 200, hooks: UNPARSABLE });
    // Variables that do not coerce stop in the execute phase, before any resolver.
    expect(await post("query Q($id: ID!) { task(vendor: CAPY, id: $id) { id } }", { id: 5 })).toEqual({
      status: 200,
      hooks: EXECUTED,
    });
  });

  it("401, 405, 406, 413 and 415 answers reach no hook", async () => {
    const body = JSON.stringify({ query: "{ __typename }" });
    expect(await send({ body, headers: { authorization: "Bearer wrong_key_123" } })).toEqual({
      status: 401,
      hooks: [],
    });
    expect(await send({ method: "PUT", body })).toEqual({ status: 405, hooks: [] });
    expect(await send({ body, headers: { accept: "text/csv" } })).toEqual({ status: 406, hooks: [] });
    const big = JSON.stringify({ query: `{ __typename } # ${"x".repeat(101 * 1024)}` });
    expect(await send({ body: big })).toEqual({ status: 413, hooks: [] });
    expect(await send({ body, headers: { "content-type": "text/plain" } })).toEqual({ status: 415, hooks: [] });
  });
});
