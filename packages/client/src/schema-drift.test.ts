import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath, SERVICE_SDL, schemaFiles } from "../scripts/schema-files.ts";

const FIX = "run `pnpm --filter @taskbridge/client schema:sync`";

describe("the client's schema", () => {
  it("is a copy of the service's SDL (apps/graphql/schema.graphql)", () => {
    expect(readFileSync(packagePath("schema.graphql"), "utf8"), `the copy is stale: ${FIX}`).toBe(
      readFileSync(SERVICE_SDL, "utf8"),
    );
  });

  it.each(Object.entries(schemaFiles(readFileSync(packagePath("schema.graphql"), "utf8"))))(
    "%s is generated from the copy",
    (file, expected) => {
      expect(readFileSync(packagePath(file), "utf8"), `${file} is stale: ${FIX}`).toBe(expected);
    },
  );
});
