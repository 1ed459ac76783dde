/**
 * Shared e2e support for the vendor clients (exported as @taskbridge/sandbox/testing; not part of the public API).
 * The sandbox must not depend on the clients or the model, so clients come in as factories, operations as
 * functions, and errors are checked by their `name` + `kind` (each VendorError subclass has exactly one of each).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, type SandboxVendor, startSandbox } from "../sandbox.ts";
import type { FaultControl, FaultKind, FaultSpec, RequestLogView, Vendor } from "../types.ts";

// Short deadlines so hang and slow-body faults end quickly; loopback answers take a few milliseconds.
export const E2E_TIMEOUTS = { connectMs: 500, headersMs: 300, bodyMs: 300, totalMs: 800 };

/**
 * `read` of each item, one call at a time. Fifty at once queue behind the client's connection pool, and on a busy
 * machine that wait alone can outlast E2E_TIMEOUTS' whole-call deadline.
 */
export async function oneByOne<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await read(item));
  return results;
}

/** What the helpers read from a VendorError (structurally, so no model import is needed). */
export interface ClientError {
  name: string;
  kind: string;
  message: string;
  status?: number | undefined;
  retryable?: boolean;
  traceId?: string | undefined;
  detail?: string | undefined;
  retryAfterMs?: number | undefined;
  limitedBy?: string;
  cause?: unknown;
}

export interface ClientE2e<V extends Vendor, C, O> {
  readonly sandbox: Sandbox;
  readonly v: SandboxVendor<V>;
  /** The shared client, made once with the sandbox credentials. */
  readonly main: C;
  /** Another client (closed after the file), e.g. with a wrong credential. */
  client(overrides?: O): C;
}

/**
 * Starts one sandbox for the test file, resets it before each test and closes every client made through it.
 * `create` gets the vendor's sandbox handle and overrides; it should pass E2E_TIMEOUTS as `http.timeouts`.
 * `sandboxOptions` start the sandbox (e.g. a clock of the test's own).
 */
export function useClientE2e<V extends Vendor, C extends { close(): Promise<void> }, O>(
  vendor: V,
  create: (v: SandboxVendor<V>, overrides: O | undefined) => C,
  sandboxOptions?: SandboxOptions,
): ClientE2e<V, C, O> {
  const clients: C[] = [];
  let sandbox: Sandbox | undefined;
  let main: C | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the sandbox is not started yet (use it inside a test or hook)");
    return value;
  };
  const e2e: ClientE2e<V, C, O> = {
    get sandbox() {
      return started(sandbox);
    },
    get v() {
      return started(sandbox).vendors[vendor];
    },
    get main() {
      return started(main);
    },
    client(overrides) {
      const created = create(e2e.v, overrides);
      clients.push(created);
      return created;
    },
  };
  beforeAll(async () => {
    sandbox = await startSandbox(sandboxOptions);
    main = e2e.client();
  });
  beforeEach(() => sandbox?.reset());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sandbox?.close();
  });
  return e2e;
}

/** What the helpers below use of a ClientE2e, whatever its vendor. */
export interface E2eHandle {
  readonly sandbox: Sandbox;
  readonly v: { faults: FaultControl; requests: RequestLogView };
}

/** The error a call fails with; the test fails if it succeeds. */
export async function failure(call: Promise<unknown>): Promise<ClientError> {
  try {
    await call;
  } catch (thrown) {
    return thrown as ClientError;
  }
  throw new Error("expected the call to fail");
}

/** Each malformed id is rejected with InvalidInputError by every call, before any request is sent. */
export function itRejectsMalformedIds(
  e2e: E2eHandle,
  title: string,
  ids: readonly string[],
  calls: ReadonlyArray<(id: string) => Promise<unknown>>,
): void {
  it.each(ids)(`${title} → InvalidInputError, zero requests`, async (id) => {
    for (const call of calls) await expect(call(id)).rejects.toMatchObject({ name: "InvalidInputError" });
    expect(e2e.v.requests.count()).toBe(0);
  });
}

/**
 * A base URL that passes validation but does not lead to the vendor's API (another vendor's port, a wrong prefix) is
 * answered with 404s that are not the vendor's own not-found answer: each read must fail with a contract violation
 * that points at baseUrl, never pass for "no such task".
 */
export function itRefusesWrongBaseUrls<V extends Vendor, C>(
  e2e: ClientE2e<V, C, { baseUrl?: string }>,
  wrongBases: (sandbox: Sandbox) => Record<string, string>,
  reads: (client: C) => ReadonlyArray<Promise<unknown>>,
): void {
  it("a base URL that does not lead to the vendor's API → VendorContractViolationError naming baseUrl", async () => {
    for (const [name, baseUrl] of Object.entries(wrongBases(e2e.sandbox))) {
      const errors = await Promise.all(reads(e2e.client({ baseUrl })).map(failure));
      for (const error of errors) {
        expectClass(error, "VendorContractViolationError", "contract_violation");
        expect(error, name).toMatchObject({ status: 404, retryable: false });
        expect(error.message, name).toMatch(/HTTP 404 \(.*not the vendor's own not-found answer: does baseUrl lead/);
      }
    }
  });
}

export interface FaultCase {
  name: string;
  spec: FaultSpec;
  /** The fault the sandbox records for the request. */
  logged: FaultKind;
  check(error: ClientError): void;
}

/** `error` is the VendorError subclass `name` with `kind` (what `toBeInstanceOf` checked before). */
function expectClass(error: ClientError, name: string, kind: string): void {
  expect(error).toBeInstanceOf(Error);
  expect(error).toMatchObject({ name, kind });
}

export interface FaultMatrixOptions {
  vendor: Vendor;
  /** How many requests one round of the operations sends (rate-limit faults must cover all of them). */
  requests: number;
  /** Extra checks on the 503 answer (the vendor's envelope: message text, trace id). */
  unavailable(error: ClientError): void;
  /** Texts of the served body that must not leak into a contract-violation error. */
  bodyTexts: readonly string[];
  /** The malformed-JSON message (defaults to `<vendor> <operation>: HTTP 200 body is not JSON`). */
  malformedMessage?: RegExp;
  /** Substrings the schema-break message must contain (the path of the broken field). */
  schemaBreak: readonly string[];
  /** Vendor-only cases, put after the 503 case. */
  extra?: readonly FaultCase[];
}

/** The fault matrix every client must survive, with its per-fault assertions. */
export function faultCases(o: FaultMatrixOptions): FaultCase[] {
  return [
    {
      name: "errorRate 1 → VendorUnavailableError 503",
      spec: { errorRate: 1 },
      logged: "error",
      check(error) {
        expectClass(error, "VendorUnavailableError", "unavailable");
        expect(error).toMatchObject({ status: 503, retryable: true });
        o.unavailable(error);
      },
    },
    ...(o.extra ?? []),
    {
      name: "resetRate 1 → VendorNetworkError",
      spec: { resetRate: 1 },
      logged: "reset",
      check(error) {
        expectClass(error, "VendorNetworkError", "network");
        expect(error).toMatchObject({ status: undefined, retryable: true });
      },
    },
    {
      name: "hangRate 1 → VendorTimeoutError within the client deadline",
      spec: { hangRate: 1 },
      logged: "hang",
      check(error) {
        expectClass(error, "VendorTimeoutError", "timeout");
        expect(error.retryable).toBe(true);
        // undici checks its headers timer every ~0.5 s, so the whole-call deadline may come first.
        expect(["headers timeout", "total deadline"]).toContain(error.detail);
      },
    },
    {
      name: "slowBodyMs 5000 → VendorTimeoutError",
      spec: { slowBodyMs: 5000 },
      logged: "slow_body",
      check(error) {
        expectClass(error, "VendorTimeoutError", "timeout");
        expect(error.retryable).toBe(true);
        expect(["body timeout", "total deadline"]).toContain(error.detail);
      },
    },
    {
      name: "truncateRate 1 → VendorNetworkError (the body breaks off)",
      spec: { truncateRate: 1 },
      logged: "truncate",
      check(error) {
        expectClass(error, "VendorNetworkError", "network");
        expect(error.retryable).toBe(true);
      },
    },
    {
      name: "malformedJsonRate 1 → VendorContractViolationError without body text",
      spec: { malformedJsonRate: 1 },
      logged: "malformed_json",
      check(error) {
        expectClass(error, "VendorContractViolationError", "contract_violation");
        expect(error).toMatchObject({ status: 200, retryable: false });
        expect(error.message).toMatch(
          o.malformedMessage ?? new RegExp(`^${o.vendor} \\w+: HTTP 200 body is not JSON$`),
        );
        const shown = JSON.stringify(error);
        for (const text of o.bodyTexts) expect(shown).not.toContain(text);
      },
    },
    {
      name: "schemaBreakRate 1 → VendorContractViolationError naming the path",
      spec: { schemaBreakRate: 1 },
      logged: "schema_break",
      check(error) {
        expectClass(error, "VendorContractViolationError", "contract_violation");
        for (const text of o.schemaBreak) expect(error.message).toContain(text);
      },
    },
    {
      name: "rateLimit with an HTTP-date Retry-After → VendorRateLimitedError",
      spec: { rateLimit: { count: o.requests, retryAfter: new Date(Date.now() + 10 * 60_000).toUTCString() } },
      logged: "rate_limit",
      check(error) {
        expectClass(error, "VendorRateLimitedError", "rate_limited");
        expect(error).toMatchObject({ status: 429, retryable: true, limitedBy: "vendor" });
        // About ten minutes ahead when the spec was built (the date has whole seconds).
        expect(error.retryAfterMs).toBeGreaterThan(8 * 60_000);
        expect(error.retryAfterMs).toBeLessThanOrEqual(10 * 60_000);
      },
    },
  ];
}

export interface FaultModeOptions<Ops extends ReadonlyArray<() => Promise<unknown>>> {
  e2e: E2eHandle;
  cases: readonly FaultCase[];
  /** Test title prefix, e.g. "getTask, getPerson". */
  title: string;
  /** The operations, run side by side so the deadline-bound cases wait once. One request each unless `requests`. */
  operations: Ops;
  /** Requests one round sends when all succeed (a create that reads back sends two). */
  requests?: number;
  /** Checks the results of the round after the sandbox is reset. */
  recovered(results: { -readonly [K in keyof Ops]: Awaited<ReturnType<Ops[K]>> }): void;
}

/** Each fault fails every operation as `check` says, one request each, and the next round succeeds. */
export function itSurvivesEachFault<Ops extends ReadonlyArray<() => Promise<unknown>>>(o: FaultModeOptions<Ops>): void {
  it.each(o.cases)(`${o.title}: $name`, async ({ spec, logged, check }) => {
    const { v } = o.e2e;
    v.faults.set(spec);
    const errors = await Promise.all(o.operations.map((call) => failure(call())));
    for (const error of errors) check(error);
    // One request per call, no hidden retries, and the sandbox did inject what was asked.
    expect(v.requests.entries().map((e) => e.fault)).toStrictEqual(o.operations.map(() => logged));

    o.e2e.sandbox.reset();
    const results = await Promise.all(o.operations.map((call) => call()));
    o.recovered(results as Parameters<FaultModeOptions<Ops>["recovered"]>[0]);
    const ok = Array.from({ length: o.requests ?? o.operations.length }, () => [200, undefined]);
    expect(v.requests.entries().map((e) => [e.status, e.fault])).toStrictEqual(ok);
  });
}

/**
 * After one call under every fault, the same client answers calls side by side: each gives the expected id,
 * one request each.
 */
export function itKeepsWorkingAfterFaults(o: {
  e2e: E2eHandle;
  cases: readonly FaultCase[];
  probe: () => Promise<unknown>;
  /** Calls and the id each must return (made inside the test, so seed ids are available). */
  calls: () => ReadonlyArray<readonly [() => Promise<{ id: string } | null>, string]>;
}): void {
  it("after every fault mode the same client keeps working", async () => {
    for (const { spec } of o.cases) {
      o.e2e.v.faults.set(spec);
      await failure(o.probe());
    }
    o.e2e.sandbox.reset();
    const calls = o.calls();
    const results = await Promise.all(calls.map(([call]) => call()));
    expect(results.map((r) => r?.id)).toStrictEqual(calls.map(([, id]) => id));
    expect(o.e2e.v.requests.count()).toBe(calls.length);
  });
}
