import { VendorNotFoundError, VendorUnavailableError } from "@taskbridge/model";
import { describe, expect, it } from "vitest";
import { nullOnNotFound } from "./not-found.ts";

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
