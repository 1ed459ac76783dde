/**
 * Parsed documents are kept by their text for the next request that sends it, but only so many: a document of 3,000
 * tokens (the limit) parses to about 850 KB, so a stream of distinct ones must not stay in memory.
 */
import type { DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DOCUMENT_CACHE_SIZE } from "./app.ts";
import { type Stack, startStack } from "./e2e-support.ts";

let stack: Stack;
/** The document each request's parse ended with, by operation name. */
const parsed = new Map<string, DocumentNode>();
const probe: Plugin = {
  onParse:
    () =>
    ({ result }) => {
      const document = result as DocumentNode;
      const [operation] = document.definitions;
      if (operation?.kind === "OperationDefinition" && operation.name) parsed.set(operation.name.value, document);
    },
};

beforeAll(async () => {
  stack = await startStack({ app: { plugins: [probe] }, logLevel: "warn" });
});
afterAll(() => stack.close());

const send = (name: string) => stack.gql(`query ${name} { __typename }`);

it("keeps the documents used last, up to DOCUMENT_CACHE_SIZE, and parses an evicted one again", async () => {
  await send("Kept");
  const first = parsed.get("Kept");
  await send("Kept");
  expect(parsed.get("Kept")).toBe(first);
  // More distinct documents than the cache holds, with Kept used again in the middle: it stays.
  for (let i = 0; i < DOCUMENT_CACHE_SIZE; i++) {
    await send(`Other${i}`);
    if (i === DOCUMENT_CACHE_SIZE / 2) await send("Kept");
  }
  await send("Kept");
  expect(parsed.get("Kept")).toBe(first);
  // The oldest of the others was evicted: sent again, it is parsed again.
  const other = parsed.get("Other0");
  await send("Other0");
  expect(parsed.get("Other0")).not.toBe(other);
  const { body } = await send("Other0");
  expect(body).toEqual({ data: { __typename: "Query" } });
});
