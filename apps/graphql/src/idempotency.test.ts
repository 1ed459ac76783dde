import { MemoryStore, UnsentRequestError } from "@taskbridge/http";
import { VendorBadRequestError, VendorNetworkError, VendorUnavailableError } from "@taskbridge/model";
import { describe, expect, it, vi } from "vitest";
import { fingerprintOf, IdempotencyError, type IdempotencyOptions, idempotent } from "./idempotency.ts";

const input = { vendor: "capy", projectId: "p-1", prompt: "Fix the build" };

function setup(options: Partial<IdempotencyOptions> = {}) {
  const store = new MemoryStore();
  let calls = 0;
  const run = (
    create: () => Promise<unknown>,
    overrides: { key?: string; tenantId?: string; input?: unknown; signal?: AbortSignal } = {},
  ) =>
    idempotent(
      { store, ...options },
      { tenantId: "t1", vendor: "capy", key: "k-1", input, done: "created the task", ...overrides },
      () => {
        calls += 1;
        return create();
      },
    );
  return { store, run, calls: () => calls };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof IdempotencyError) return error.code;
  return error instanceof Error ? error.name : String(error);
}

describe("idempotent (createTask)", () => {
  it("creates once for concurrent duplicates and answers all of them with the same task", async () => {
    const { run, calls } = setup();
    let finish: (value: unknown) => void = () => {};
    const held = () => new Promise((resolve) => (finish = resolve));
    // The create is held until every duplicate has been made: they all overlap it, whatever the scheduling.
    const all = Promise.all(Array.from({ length: 5 }, () => run(held)));
    await vi.waitFor(() => expect(calls()).toBe(1));
    finish({ id: "task-1" });
    expect(await all).toEqual(Array.from({ length: 5 }, () => ({ id: "task-1" })));
    expect(calls()).toBe(1);
    expect(await run(held)).toEqual({ id: "task-1" });
    expect(calls()).toBe(1);
  });

  it("refuses the same key with a different input, whatever the key order of the same input", async () => {
    const { run, calls } = setup();
    await run(async () => ({ id: "task-1" }));
    expect(await codeOf(run(async () => ({}), { input: { ...input, prompt: "Other" } }))).toBe(
      "IDEMPOTENCY_KEY_REUSED",
    );
    const reordered = { prompt: input.prompt, projectId: input.projectId, vendor: input.vendor };
    expect(fingerprintOf(reordered)).toBe(fingerprintOf(input));
    expect(await run(async () => ({}), { input: reordered })).toEqual({ id: "task-1" });
    expect(calls()).toBe(1);
  });

  it("keeps keys per tenant", async () => {
    const { run, calls } = setup();
    await run(async () => ({ id: "a" }));
    expect(await run(async () => ({ id: "b" }), { tenantId: "t2" })).toEqual({ id: "b" });
    expect(calls()).toBe(2);
  });

  it.each([
    ["a 5xx", new VendorUnavailableError("capy", "x", { status: 503 })],
    ["a reset after sending", new VendorNetworkError("capy", "x", { detail: "ECONNRESET" })],
  ])("after %s the outcome is unknown, and stays so without another POST", async (_name, failure) => {
    const { run, calls } = setup();
    expect(await codeOf(run(() => Promise.reject(failure)))).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
    expect(await codeOf(run(async () => ({ id: "never" })))).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
    expect(calls()).toBe(1);
  });

  it("after a failure that proves nothing was created, returns it and lets a retry POST again", async () => {
    const { run, calls } = setup();
    const refused = new VendorBadRequestError("capy", "x", { status: 422 });
    expect(await codeOf(run(() => Promise.reject(refused)))).toBe("VendorBadRequestError");
    expect(await run(async () => ({ id: "task-2" }))).toEqual({ id: "task-2" });
    expect(calls()).toBe(2);
  });

  it("frees the key when the transport refused to send the request (an invalid header value)", async () => {
    const { run, calls } = setup();
    const unsent = new UnsentRequestError(
      "capy",
      "createTask",
      Object.assign(new Error("invalid if-match header"), {
        code: "UND_ERR_INVALID_ARG",
      }),
    );
    expect(await codeOf(run(() => Promise.reject(unsent)))).toBe("UnsentRequestError");
    expect(await run(async () => ({ id: "task-2" }))).toEqual({ id: "task-2" });
    expect(calls()).toBe(2);
  });

  it("answers IDEMPOTENCY_IN_PROGRESS when the first call outlasts the duplicate's deadline", async () => {
    const { run } = setup();
    let finish: (value: unknown) => void = () => {};
    const first = run(() => new Promise((resolve) => (finish = resolve)));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    const duplicate = run(async () => ({}), { signal: controller.signal });
    expect(await codeOf(duplicate)).toBe("IDEMPOTENCY_IN_PROGRESS");
    finish({ id: "task-3" });
    expect(await first).toEqual({ id: "task-3" });
  });

  it("refuses with IDEMPOTENCY_UNAVAILABLE, retryable and sending nothing, when the store cannot be read", async () => {
    const store = new MemoryStore();
    store.claim = () => Promise.reject(new Error("redis did not answer within 500 ms"));
    let calls = 0;
    const outcome = idempotent(
      { store },
      { tenantId: "t1", vendor: "capy", key: "k-1", input, done: "created the task" },
      async () => {
        calls += 1;
        return { id: "never" };
      },
    );
    const error = await outcome.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error).toMatchObject({ code: "IDEMPOTENCY_UNAVAILABLE", retryAfterMs: 1_000 });
    expect(calls).toBe(0);
  });

  it("treats a claim whose owner died (pending past abandonedAfterMs) as outcome unknown", async () => {
    let clock = 1_000_000;
    const store = new MemoryStore({ now: () => clock });
    await store.claim("t1:k-1", fingerprintOf(input), 86_400_000);
    clock += 121_000;
    const outcome = idempotent(
      { store, now: () => clock },
      { tenantId: "t1", vendor: "capy", key: "k-1", input, done: "created the task" },
      async () => ({ id: "never" }),
    );
    expect(await codeOf(outcome)).toBe("IDEMPOTENCY_OUTCOME_UNKNOWN");
  });
});
