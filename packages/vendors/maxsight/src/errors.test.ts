import { describe, expect, it } from "vitest";
import { legacyRateLimitReset, NOT_FOUND, readMaxsightError } from "./errors.ts";

const read = (body: unknown) => readMaxsightError({ status: 404, headers: {}, body });

describe("readMaxsightError", () => {
  it.each([
    [{ message: "Task not found" }, "Task not found"],
    [{ detail: "Invalid API key" }, "Invalid API key"],
    [{ error: "unauthorized" }, "unauthorized"],
    [{ message: "  first  ", detail: "second" }, "first"],
    [{ message: 3, detail: "second" }, "second"],
    ["Not Found", "Not Found"],
  ])("takes a string from %j", (body, detail) => {
    expect(read(body).detail).toBe(detail);
  });

  it.each([
    undefined,
    null,
    42,
    "",
    [],
    [{ message: "inside an array" }],
    { error: { code: "not_found", message: "nested" } },
    { errors: [{ message: "list" }] },
    { message: "   " },
  ])("reads nothing from %j and never throws", (body) => {
    expect(read(body)).toEqual({ detail: undefined });
  });
});

describe("legacyRateLimitReset", () => {
  it("reads X-RateLimit-Reset-Secs as seconds from now", () => {
    expect(legacyRateLimitReset({ "x-ratelimit-reset-secs": "30" })).toBe(30_000);
    expect(legacyRateLimitReset({ "x-ratelimit-reset-secs": " 1.5 " })).toBe(1_500);
    expect(legacyRateLimitReset({ "x-ratelimit-reset-secs": "0" })).toBe(0);
  });

  it("counts only once the window is used up (remaining 0) or the remaining count is not given", () => {
    expect(legacyRateLimitReset({ "x-ratelimit-remaining": "57", "x-ratelimit-reset-secs": "40" })).toBeUndefined();
    expect(legacyRateLimitReset({ "x-ratelimit-remaining": "0", "x-ratelimit-reset-secs": "40" })).toBe(40_000);
    expect(legacyRateLimitReset({ "x-ratelimit-remaining": "n/a", "x-ratelimit-reset-secs": "40" })).toBe(40_000);
  });

  it("ignores absent or unreadable values", () => {
    expect(legacyRateLimitReset({})).toBeUndefined();
    expect(legacyRateLimitReset({ "x-ratelimit-reset-secs": "soon" })).toBeUndefined();
    expect(legacyRateLimitReset({ "x-ratelimit-reset-secs": "-5" })).toBeUndefined();
  });
});

describe('NOT_FOUND (the docs\' "404 Task not found"; the body is not documented)', () => {
  it.each([[{ message: "Task not found" }], [{ detail: "task not found" }], ["Task not found"]])(
    "takes %j for Maxsight's own not-found answer",
    (body) => {
      expect(NOT_FOUND.safeParse(body).success).toBe(true);
    },
  );

  it.each([[undefined], [{ message: "Not found" }], [{ code: "not_found", message: "Resource not found" }]])(
    "does not take %j (not Maxsight's words)",
    (body) => {
      expect(NOT_FOUND.safeParse(body).success).toBe(false);
    },
  );
});
