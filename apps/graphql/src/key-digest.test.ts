import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { digestKey } from "./tenants.ts";

const SCRIPT = fileURLToPath(new URL("../bin/key-digest.mjs", import.meta.url));
const EXAMPLE = JSON.parse(readFileSync(new URL("../taskbridge.example.json", import.meta.url), "utf8"));

function keyDigest(args: string[], input?: string) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", input: input ?? "" });
}

describe("bin/key-digest.mjs (npm run key-digest)", () => {
  it("prints the digest the config's apiKeySha256 expects: that of the example's stated key", () => {
    const run = keyDigest(["tb_acme_example_key"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${digestKey("tb_acme_example_key").toString("hex")}\n`);
    expect(EXAMPLE.tenants[0].apiKeySha256).toEqual([run.stdout.trim()]);
  });

  it("reads the key from stdin, without its trailing newline", () => {
    const run = keyDigest([], "tb_acme_example_key\n");
    expect(run.stdout).toBe(`${digestKey("tb_acme_example_key").toString("hex")}\n`);
  });

  it("refuses what cannot be a key (empty, or with spaces) instead of printing its digest", () => {
    for (const run of [keyDigest([], ""), keyDigest(["tb key"])]) {
      expect(run.status).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^usage: npm run --silent key-digest/);
    }
  });
});
