import { parse } from "graphql";
import type { CompiledQuery } from "graphql-jit";
import { describe, expect, it } from "vitest";
import { createHotOperations } from "./hot-operations.ts";

const operation = (text: string) => ({ document: parse(text), query: {} as CompiledQuery });

describe("createHotOperations", () => {
  it("finds an operation by its exact text and operation name, null and absent names alike", () => {
    const hot = createHotOperations();
    const a = operation("query A { __typename }");
    hot.add("query A { __typename }", undefined, a);
    expect(hot.get("query A { __typename }", null)).toBe(a);
    expect(hot.get("query A { __typename }", undefined)).toBe(a);
    expect(hot.get("query A { __typename }", "A")).toBeUndefined();
    expect(hot.get("query A { __typename } ", undefined)).toBeUndefined();
    expect(hot.get("query A { __typename }", "")).toBeUndefined();
  });

  it("keeps at most `limit` texts, dropping the oldest", () => {
    const hot = createHotOperations(2);
    for (const text of ["{ a }", "{ b }", "{ c }"]) hot.add(text, null, operation(text));
    expect(hot.get("{ a }", null)).toBeUndefined();
    expect(hot.get("{ b }", null)).toBeDefined();
    expect(hot.get("{ c }", null)).toBeDefined();
  });
});
