import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pactProviders } from "./documents.ts";

describe("pactProviders", () => {
  it("names the provider of every pact file, whether or not the sandbox simulates it", () => {
    const dir = mkdtempSync(join(tmpdir(), "pacts-"));
    for (const file of ["taskbridge-tasklane.json", "taskbridge-capy.json", "README.md"])
      writeFileSync(join(dir, file), "{}");
    expect(pactProviders(dir)).toEqual(["capy", "tasklane"]);
  });
});
