import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "./app.ts";
import { type Stack, startStack } from "./e2e-support.ts";
import { VALIDATION_ABORTED } from "./plugins/validation.ts";

/** The service's document limits over real HTTP, at their defaults (the values apps/graphql/README.md states). */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const fields = (field: string, count: number) => Array.from({ length: count }, () => field).join(" ");
/** `count` aliases (graphql-armor does not count those of `__typename`). */
const aliases = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: __type(name: "Task") { name }`).join(" ")} }`;
/** A document of 2 + 9 × count tokens that selects no field more than `count` times. */
const spreads = (count: number) => {
  const names = Array.from({ length: count }, (_, i) => `F${i}`);
  return `{ ${names.map((name) => `...${name}`).join(" ")} } ${names.map((name) => `fragment ${name} on Query { __typename }`).join(" ")}`;
};

describe("document limits: each refusal is BAD_USER_INPUT naming the limit and its value", () => {
  it("holds the defaults the README states", () => {
    expect(DEFAULT_LIMITS).toMatchObject({ depth: 8, aliases: 30, tokens: 3_000, cost: 5_000, directives: 20 });
  });

  it.each([
    [
      "depth",
      '{ __type(name: "Task") { fields { type { ofType { ofType { ofType { fields { type { name } } } } } } } } }',
      "Query depth limit of 8 exceeded, found 9.",
    ],
    ["aliases", aliases(31), "Aliases limit of 30 exceeded, found 31."],
    ["directives", `{ ${fields("__typename @include(if: true)", 21)} }`, "Directives limit of 20 exceeded, found 21."],
    ["cost", "{ taskList(first: 1000) { edges { cursor } } }", "Query Cost limit of 5000 exceeded, found 7250."],
    ["tokens", `{ ${fields("__typename", 3_001)} }`, "Token limit of 3000 exceeded."],
  ])("%s", async (_limit, query, message) => {
    const { body } = await stack.gql(query);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ message, extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    ]);
    expect(stack.vendorCalls()).toBe(0);
  });

  it("lets a document at each limit through", async () => {
    const atLimits = [
      '{ __type(name: "Task") { fields { type { ofType { ofType { fields { type { name } } } } } } } }',
      aliases(30),
      `{ ${fields("__typename @include(if: true)", 20)} }`,
      spreads(333), // 2,999 tokens
    ];
    for (const query of atLimits) expect((await stack.gql(query)).body.errors, query.slice(0, 60)).toBeUndefined();
  });

  it("explains graphql-js's own work budget instead of answering just 'Validation aborted.'", async () => {
    // 720 fields: well under the token limit, but 720 × 719 / 2 comparisons of the same field are past the budget.
    const { body } = await stack.gql(`{ ${fields("__typename", 720)} }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: VALIDATION_ABORTED,
        extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
      }),
    ]);
    expect(VALIDATION_ABORTED).toMatch(/about 700 selections of one field in one selection set/);
  });
});
