import { describe, expect, it } from "vitest";
import { createBodyCache } from "./body-cache.ts";

describe("body cache", () => {
  it("renders a key once and answers later reads from the cache", () => {
    const cache = createBodyCache();
    let renders = 0;
    const render = () => {
      renders++;
      return { id: "t1", n: renders };
    };
    expect(cache.get("t1", render)).toBe('{"id":"t1","n":1}');
    expect(cache.get("t1", render)).toBe('{"id":"t1","n":1}');
    expect(renders).toBe(1);
  });

  it("keeps nothing when the render finds nothing", () => {
    const cache = createBodyCache();
    expect(cache.get("t1", () => undefined)).toBeUndefined();
    expect(cache.get("t1", () => ({ id: "t1" }))).toBe('{"id":"t1"}');
  });

  it("renders again after delete and clear", () => {
    const cache = createBodyCache();
    cache.get("a", () => 1);
    cache.get("b", () => 1);
    cache.delete("a");
    expect(cache.get("a", () => 2)).toBe("2");
    expect(cache.get("b", () => 2)).toBe("1");
    cache.clear();
    expect(cache.get("b", () => 3)).toBe("3");
  });
});
