import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { printedSchema } from "./schema.ts";

const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));

describe("schema.graphql", () => {
  it("is the SDL the code builds (regenerate with `pnpm --filter @taskbridge/graphql schema:print`)", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(
      committed,
      "apps/graphql/schema.graphql is stale: run `pnpm --filter @taskbridge/graphql schema:print`",
    ).toBe(printedSchema());
  });
});
