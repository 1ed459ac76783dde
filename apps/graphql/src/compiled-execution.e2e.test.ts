import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answer, type RequestCase, requestCases, type Stack, startStack } from "./e2e-support.ts";

let sandbox: Sandbox;
/** The same app twice: every document compiled by graphql-jit from its first execution, and never compiled. */
let compiled: Stack;
let standard: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  const app = { introspection: false, limits: { depth: 6, aliases: 3 } };
  compiled = await startStack({ sandbox, app: { ...app, compileAfter: 1 } });
  standard = await startStack({ sandbox, app: { ...app, compileAfter: false } });
});
afterAll(async () => {
  await compiled.close();
  await standard.close();
  await sandbox.close();
});

const FIELDS = `id vendor vendorId title description status vendorStatus createdAt updatedAt raw __typename
  assignedProviders { id vendorId vendor kind person { id displayName firstName lastName email roles } }
  ... on MaxAiTask { syncStatus ehrType noteId }
  ... on CapyTask { projectId identifier prompt }`;
const q = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
const TASK = `query T($id: ID!, $vendor: Vendor!) { task(id: $id, vendor: $vendor) { ${FIELDS} } }`;
const CREATE = "mutation C($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }";

/** Execution beyond the request matrix: every vendor's task type, batches, variable coercion and input errors. */
function executionCases(): [string, RequestCase][] {
  const { maxai, cakewalk, capy, maxsight } = sandbox.vendors;
  const refs = [
    { id: maxai.seed.example.v4TaskId, vendor: "MAX_AI" },
    { id: cakewalk.seed.example.taskId, vendor: "CAKEWALK" },
    { id: capy.seed.example.taskId, vendor: "CAPY" },
    { id: maxsight.seed.example.taskId, vendor: "MAXSIGHT" },
  ];
  return [
    ...refs.map((ref): [string, RequestCase] => [`a ${ref.vendor} task, every field`, { body: q(TASK, ref) }]),
    [
      "a batch with a repeat, a not-found and a malformed id",
      {
        body: q(
          `query B($refs: [TaskRefInput!]!) { tasks(refs: $refs) { ref { id vendor } error { code vendor } task { ${FIELDS} } } }`,
          {
            refs: [
              ...refs,
              refs[0],
              { id: "tsk_00000000000000000000000000000000", vendor: "MAX_AI" },
              { id: "x", vendor: "MAX_AI" },
            ],
          },
        ),
      },
    ],
    ["an unknown enum value", { body: q(TASK, { ...refs[0], vendor: "NOPE" }) }],
    ["null for a non-null variable", { body: q(TASK, { id: null, vendor: "CAPY" }) }],
    ["a global id", { body: q(TASK, { id: `capy:${capy.seed.example.taskId}`, vendor: "CAPY" }) }],
    ["a global id of another vendor", { body: q(TASK, { id: `capy:${capy.seed.example.taskId}`, vendor: "MAX_AI" }) }],
    [
      "aliases and a fragment",
      {
        body: q(
          `query { a: task(id: "${capy.seed.example.taskId}", vendor: CAPY) { ...F } b: task(id: "${maxsight.seed.example.taskId}", vendor: MAXSIGHT) { ...F } } fragment F on Task { id status }`,
        ),
      },
    ],
    [
      "a oneOf input with both branches",
      {
        body: q(CREATE, {
          input: {
            capy: { projectId: "p", prompt: "x" },
            maxAi: { noteId: "n", providerId: "p", notes: "x", assigneeIds: [] },
          },
        }),
      },
    ],
    ["a oneOf input with no branch", { body: q(CREATE, { input: {} }) }],
    [
      "a create the model refuses",
      { body: q(CREATE, { input: { maxAi: { noteId: "nope", providerId: "nope", notes: "", assigneeIds: [] } } }) },
    ],
    ["a field of the wrong type in an input", { body: q(CREATE, { input: { capy: { projectId: "p", prompt: 5 } } }) }],
  ];
}

describe("compiled execution (graphql-jit)", () => {
  it("answers every request exactly as the standard executor does, compiled and then from the compiled cache", async () => {
    for (const [name, c] of [...requestCases(sandbox), ...executionCases()]) {
      const viaStandard = await answer(standard, c);
      // The first request compiles its document; the second runs the cached compilation.
      expect({ name, ...(await answer(compiled, c)) }).toEqual({ name, ...viaStandard });
      expect({ name, again: true, ...(await answer(compiled, c)) }).toEqual({ name, again: true, ...viaStandard });
    }
    expect(compiled.logs.filter((line) => line.includes("graphql-jit"))).toEqual([]);
  });

  it("answers a vendor failure the same way", async () => {
    const c = { body: q(TASK, { id: sandbox.vendors.maxsight.seed.example.taskId, vendor: "MAXSIGHT" }) };
    sandbox.vendors.maxsight.faults.set({ errorRate: 1, errorStatus: 503 });
    try {
      const viaStandard = await answer(standard, c);
      expect(await answer(compiled, c)).toEqual(viaStandard);
      expect(JSON.parse(viaStandard.body).errors[0].extensions.code).toBe("VENDOR_UNAVAILABLE");
    } finally {
      sandbox.vendors.maxsight.faults.clear();
    }
  });
});
