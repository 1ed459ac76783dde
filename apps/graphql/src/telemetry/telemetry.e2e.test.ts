import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Stack, startStack, TEST_KEY } from "../e2e-support.ts";
import { Metrics, startMetricsServer } from "./metrics.ts";
import { startTracingSdk, type TracingSdk } from "./sdk.ts";
import { TRACE_ID_EXTENSION } from "./tracing.ts";

let sandbox: Sandbox;
let metrics: Metrics;
let metricsServer: Awaited<ReturnType<typeof startMetricsServer>>;
let measured: Stack;
const exporter = new InMemorySpanExporter();
let sdk: TracingSdk;
let traced: Stack;
let tracedCompiled: Stack;
let plain: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  metrics = new Metrics();
  measured = await startStack({ sandbox, app: { metrics } });
  metricsServer = await startMetricsServer(metrics, { port: 0, host: "127.0.0.1" });
  sdk = startTracingSdk({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  traced = await startStack({ sandbox, app: { tracing: sdk.provider } });
  tracedCompiled = await startStack({ sandbox, app: { tracing: sdk.provider, compileAfter: 1 } });
  plain = await startStack({ sandbox });
});
afterAll(async () => {
  await Promise.all([measured.close(), traced.close(), tracedCompiled.close(), plain.close(), metricsServer.close()]);
  await sdk.shutdown();
  await sandbox.close();
});
beforeEach(() => exporter.reset());

/** The value of one sample of the scrape, e.g. `taskbridge_graphql_operations_total{operation="Named"}`. */
async function scrape(): Promise<(sample: string) => number | undefined> {
  const response = await fetch(`${metricsServer.origin}/metrics`);
  expect(response.headers.get("content-type")).toContain("text/plain");
  const lines = (await response.text()).split("\n");
  return (sample) => {
    const line = lines.find((l) => l.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };
}

describe("metrics (Prometheus, on their own listener)", () => {
  it("count exactly the traffic that was sent", async () => {
    const task = `task(vendor: CAPY, id: "${sandbox.vendors.capy.seed.example.taskId}") { id }`;
    for (let i = 0; i < 3; i++) expect((await measured.gql(`query Named { ${task} }`)).body.errors).toBeUndefined();
    for (let i = 0; i < 2; i++) await measured.gql(`query Broken { task(vendor: CAPY, id: "nope") { id } }`);
    await measured.gql("{ __typename }", { key: "not_a_key_at_all" });
    // Refused before any operation is read: an answer with an error code all the same.
    const post = (contentType: string, body: string) =>
      fetch(measured.url, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": contentType },
        body,
      });
    expect((await post("text/plain", "{}")).status).toBe(415);
    expect((await post("application/json", "{not json")).status).toBe(400);
    const sample = await scrape();
    expect(sample('taskbridge_graphql_operations_total{operation="Named"}')).toBe(3);
    expect(sample('taskbridge_graphql_operations_total{operation="Broken"}')).toBe(2);
    expect(sample('taskbridge_graphql_errors_total{operation="Broken",code="BAD_USER_INPUT"}')).toBe(2);
    const http = 'taskbridge_http_request_duration_seconds_count{method="POST",route="/graphql"';
    expect(sample(`${http},status="200"}`)).toBe(5);
    expect(sample(`${http},status="401"}`)).toBe(1);
    expect(sample('taskbridge_graphql_errors_total{operation="",code="UNAUTHENTICATED"}')).toBe(1);
    expect(sample('taskbridge_graphql_errors_total{operation="",code="BAD_USER_INPUT"}')).toBe(2);
    // envelop's plugin: every executed operation with its execution time, and the errors execution answered.
    expect(sample('graphql_envelop_phase_execute_count{operationType="query"}')).toBe(5);
    expect(sample('graphql_envelop_error_result{operationType="query",phase="execute",path="task"}')).toBe(2);
    expect(sample("taskbridge_shared_store_degraded")).toBe(0);
  });

  it("label operations by GraphQL names only: an operationName holding control characters is not written", async () => {
    const operationName = "x\u001b]0;owned\u0007\r";
    for (const query of ["query A { __typename }", "{ task("]) {
      const response = await fetch(measured.url, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ query, operationName }),
      });
      expect(response.status).toBe(200);
    }
    const text = await (await fetch(`${metricsServer.origin}/metrics`)).text();
    expect(text).not.toContain("owned");
    expect([...text].filter((c) => c < " " && c !== "\n")).toEqual([]);
  });

  it("count vendor calls by outcome, retries, the breaker and the rate budget left", async () => {
    const capy = sandbox.vendors.capy;
    capy.faults.set({ rateLimit: { count: 1, retryAfter: "0" } });
    const id = capy.seed.example.taskId;
    expect((await measured.gql(`{ task(vendor: CAPY, id: "${id}") { id } }`)).body.errors).toBeUndefined();
    const maxai = sandbox.vendors.maxai.seed.example.v4TaskId;
    for (let i = 0; i < 2; i++) await measured.gql(`{ task(vendor: MAX_AI, id: "${maxai}") { id } }`);
    const sample = await scrape();
    const calls = (vendor: string, outcome: string) =>
      sample(
        `taskbridge_vendor_call_duration_seconds_count{vendor="${vendor}",operation="getTask",outcome="${outcome}"}`,
      );
    expect(calls("capy", "ok")).toBe(4);
    expect(sample('taskbridge_vendor_retries_total{vendor="capy",operation="getTask"}')).toBe(1);
    expect(calls("maxai", "ok")).toBe(2);
    // Max AI publishes 1,000 requests a minute per key: two of them were spent.
    expect(sample('taskbridge_rate_budget_remaining{tenant="test",vendor="maxai"}')).toBe(998);
    expect(sample('taskbridge_circuit_breaker_state{tenant="test",vendor="capy"}')).toBe(0);
  });

  it("count the calls an open breaker refused as circuit_open, apart from the vendor's 503s", async () => {
    const maxsight = sandbox.vendors.maxsight;
    const read = `{ task(vendor: MAXSIGHT, id: "${maxsight.seed.example.taskId}") { id } }`;
    maxsight.faults.set({ errorRate: 1 });
    // Each read makes up to 4 attempts, each a 503: the breaker opens within three reads, then refuses the rest.
    for (let i = 0; i < 5; i++) await measured.gql(read);
    maxsight.faults.clear();
    const sample = await scrape();
    const calls = (outcome: string) =>
      sample(
        `taskbridge_vendor_call_duration_seconds_count{vendor="maxsight",operation="getTask",outcome="${outcome}"}`,
      );
    expect(sample('taskbridge_circuit_breaker_state{tenant="test",vendor="maxsight"}')).toBe(2);
    expect(calls("circuit_open")).toBeGreaterThanOrEqual(2);
    expect((calls("unavailable") ?? 0) + (calls("circuit_open") ?? 0)).toBe(5);
  });

  it("count keyed writes by how they were answered", async () => {
    const { example } = sandbox.vendors.capy.seed;
    const create = (key: string, prompt: string) =>
      measured.gql(
        "mutation($input: CreateTaskInput!, $key: String) { createTask(input: $input, idempotencyKey: $key) { task { id } } }",
        { variables: { input: { capy: { projectId: example.projectId, prompt } }, key } },
      );
    await create("metrics-1", "first");
    await create("metrics-1", "first");
    await create("metrics-1", "another input");
    const sample = await scrape();
    expect(sample('taskbridge_idempotency_outcomes_total{outcome="sent"}')).toBe(1);
    expect(sample('taskbridge_idempotency_outcomes_total{outcome="replayed"}')).toBe(1);
    expect(sample('taskbridge_idempotency_outcomes_total{outcome="key_reused"}')).toBe(1);
  });

  it("keep at most 200 error paths, which callers choose by aliasing; later ones count as other", async () => {
    const own = new Metrics();
    const stack = await startStack({ sandbox, app: { metrics: own } });
    try {
      // 10 requests of 25 distinct aliases, each an execution error at its own path: 250 paths.
      for (let r = 0; r < 10; r += 1) {
        const fields = Array.from({ length: 25 }, (_, i) => `e${r}_${i}: task(vendor: CAPY, id: "nope") { id }`);
        const { body } = await stack.gql(`{ ${fields.join(" ")} }`);
        expect(body.errors).toHaveLength(25);
      }
      const text = await own.registry.getSingleMetricAsString("graphql_envelop_error_result");
      const samples = [...text.matchAll(/^graphql_envelop_error_result\{(.*)\} (\d+)$/gm)];
      const paths = samples.map(([, labels]) => /path="([^"]*)"/.exec(labels ?? "")?.[1]);
      expect(new Set(paths).size).toBe(samples.length);
      expect(samples.length).toBe(201);
      expect(paths).toContain("other");
      expect(samples.reduce((sum, [, , count]) => sum + Number(count), 0)).toBe(250);
    } finally {
      await stack.close();
    }
  });

  it("are not served on the API's port", async () => {
    const response = await fetch(`${measured.server.origin}/metrics`);
    expect(response.status).toBe(404);
  });
});

describe("tracing (OpenTelemetry)", () => {
  it("makes a server span per request, a child of the caller's traceparent, with the operation's span inside", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await fetch(traced.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        "content-type": "application/json",
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({
        query: "query Traced($vendor: Vendor!, $id: ID!) { task(vendor: $vendor, id: $id) { id } }",
        variables: { vendor: "CAPY", id: "nope" },
      }),
    });
    const body = await response.json();
    expect(body.errors[0].extensions[TRACE_ID_EXTENSION]).toBe(traceId);
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === "POST /graphql");
    const operation = spans.find((s) => s.name === "query.Traced");
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(server?.attributes["http.response.status_code"]).toBe(200);
    expect(operation?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    // The operation is named; its document is not recorded, even one without inline arguments.
    expect(operation?.attributes["graphql.execute.operationName"]).toBe("Traced");
    expect(Object.keys(operation?.attributes ?? {}).filter((name) => name.includes("document"))).toEqual([]);
  });

  it.each([
    ["interpreted", () => traced],
    ["compiled by graphql-jit", () => tracedCompiled],
  ])(
    "makes a client span per vendor call inside the operation's, and sends its traceparent to the vendor (%s)",
    async (_, stack) => {
      const { capy } = sandbox.vendors;
      const id = capy.seed.example.taskId;
      capy.requests.clear();
      const { body } = await stack().gql(`query Read { task(vendor: CAPY, id: "${id}") { id } }`);
      expect(body.errors).toBeUndefined();
      const spans = exporter.getFinishedSpans();
      const operation = spans.find((s) => s.name === "query.Read");
      const call = spans.find((s) => s.name === "capy getTask");
      expect(call?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
      expect(call?.attributes).toMatchObject({
        "taskbridge.vendor": "capy",
        "taskbridge.vendor.operation": "getTask",
        "http.response.status_code": 200,
        "taskbridge.vendor.attempts": 1,
        "taskbridge.circuit_breaker.state": "closed",
      });
      const sent = capy.requests.entries()[0]?.headers.traceparent;
      expect(sent).toBe(`00-${call?.spanContext().traceId}-${call?.spanContext().spanId}-01`);
    },
  );

  it("is off unless configured: no spans, no trace id in errors", async () => {
    const { body } = await plain.gql('{ task(vendor: CAPY, id: "nope") { id } }');
    expect(body.errors[0].extensions).not.toHaveProperty(TRACE_ID_EXTENSION);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
