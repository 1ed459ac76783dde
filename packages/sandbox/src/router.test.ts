import { describe, expect, it } from "vitest";
import { compileMatcher, compilePattern, createRouter } from "./router.ts";

describe("route matching", () => {
  it("matches literal segments and captures decoded params", () => {
    const p = compilePattern("/v2/tasks/:id");
    expect(p.match("/v2/tasks/abc")).toEqual({ id: "abc" });
    expect(p.match("/v2/tasks/a%20b")).toEqual({ id: "a b" });
    expect(p.match("/v2/tasks/")).toBeUndefined();
    expect(p.match("/v2/tasks/abc/x")).toBeUndefined();
    expect(p.match("/V2/tasks/abc")).toBeUndefined();
  });

  it("folds case when asked and supports a trailing wildcard", () => {
    expect(compilePattern("/api/v1/Tasks/:id", { caseInsensitive: true }).match("/API/V1/tasks/X")).toEqual({
      id: "X",
    });
    expect(compilePattern("/v4/*").match("/v4/providers/p")).toEqual({});
    expect(compilePattern("/v4/*").match("/v2/tasks")).toBeUndefined();
  });

  it("picks the first route with the method and path", () => {
    const router = createRouter([
      { method: "GET", path: "/a/:x", handler: "get" },
      { method: "POST", path: "/a/:x", handler: "post" },
    ]);
    expect(router.match("POST", "/a/1")).toEqual({ handler: "post", params: { x: "1" } });
    expect(router.match("PUT", "/a/1")).toBeUndefined();
  });

  it("request matchers take a method, a pattern or a RegExp", () => {
    expect(compileMatcher(undefined)("GET", "/x")).toBe(true);
    expect(compileMatcher({ method: "get" })("GET", "/x")).toBe(true);
    expect(compileMatcher({ method: "post" })("GET", "/x")).toBe(false);
    expect(compileMatcher({ path: "/v2/tasks/:id" })("GET", "/v2/tasks/1")).toBe(true);
    const regex = compileMatcher({ path: /^\/v2\//g });
    expect([regex("GET", "/v2/a"), regex("GET", "/v2/a")]).toEqual([true, true]);
  });
});
