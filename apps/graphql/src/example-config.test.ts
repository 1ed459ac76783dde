import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "./tenants.ts";

describe("taskbridge.example.json", () => {
  it("is a valid config once its environment variables are set", () => {
    const json = JSON.parse(readFileSync(new URL("../taskbridge.example.json", import.meta.url), "utf8"));
    const tenants = resolveConfig(json, (name) => `value-of-${name}`);
    expect(tenants[0]?.connections.maxsight).toEqual({ region: "eu", apiKey: "value-of-ACME_MAXSIGHT_API_KEY" });
  });
});
