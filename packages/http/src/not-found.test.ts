import { VendorNotFoundError, VendorUnavailableError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { nullOnNotFound, withNotFoundShape } from "./not-found.ts";

describe("nullOnNotFound", () => {
  it("passes a result through", async () => {
    await expect(nullOnNotFound(Promise.resolve({ id: "t1" }))).resolves.toEqual({ id: "t1" });
  });

  it("turns a not-found error into null", async () => {
    await expect(nullOnNotFound(Promise.reject(new VendorNotFoundError("capy", "gone")))).resolves.toBeNull();
  });

  it("rethrows every other error as it was", async () => {
    const unavailable = new VendorUnavailableError("capy", "down");
    await expect(nullOnNotFound(Promise.reject(unavailable))).rejects.toBe(unavailable);
    const plain = new Error("boom");
    await expect(nullOnNotFound(Promise.reject(plain))).rejects.toBe(plain);
  });
});

describe("withNotFoundShape", () => {
  const read = withNotFoundShape(
    ({ body }) => ({ traceId: "t-1", detail: (body as { message?: string } | undefined)?.message }),
    z.object({ code: z.literal("not_found") }),
  );
  const answer = (status: number, body: unknown) => ({ status, headers: {}, body });

  it("leaves the vendor's own not-found answer, and every other status, to the vendor's reading", () => {
    expect(read(answer(404, { code: "not_found", message: "Task not found" }))).toEqual({
      traceId: "t-1",
      detail: "Task not found",
    });
    expect(read(answer(400, { message: "bad id" }))).toEqual({ traceId: "t-1", detail: "bad id" });
  });

  it("reads any other 404 (another API's error, a page, nothing) as a contract violation naming baseUrl", () => {
    for (const body of [{ title: "Not Found", status: 404 }, undefined, "Cannot GET /proxy/v2/tasks/x"]) {
      expect(read(answer(404, body))).toEqual({
        traceId: "t-1",
        kind: "contract_violation",
        detail: expect.stringMatching(/not the vendor's own not-found answer: does baseUrl lead to its API/),
      });
    }
  });

  it("judges by the kind the vendor's reading gives, not the status alone", () => {
    const byCode = withNotFoundShape(() => ({ kind: "not_found" }), z.object({ code: z.literal("not_found") }));
    expect(byCode(answer(400, { code: "other" }))).toMatchObject({ kind: "contract_violation" });
    const gone = withNotFoundShape(() => ({ kind: "bad_request" }), z.never());
    expect(gone(answer(404, undefined))).toEqual({ kind: "bad_request" });
  });
});
