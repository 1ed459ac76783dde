import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "./env.ts";
import { ConfigError, digestKey, resolveConfig } from "./tenants.ts";

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

  it("takes exactly the keys the service takes: the config's apiKeys and TASKBRIDGE_DEMO_API_KEY", () => {
    // Interior white space only: key-digest trims what surrounds a key (a newline from `echo`).
    const samples = [
      "tb_acme_example_key",
      "k",
      "x".repeat(256),
      "x".repeat(257),
      "tb key",
      "tb\tkey",
      "tb\u00a0key",
      "clé",
      "tb\u007fkey",
      "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ];
    const configTakes = (key: string) => {
      try {
        return resolveConfig({ tenants: [{ id: "t", apiKeys: [key], connections: {} }] }, () => undefined).length > 0;
      } catch (error) {
        if (error instanceof ConfigError) return false;
        throw error;
      }
    };
    const envTakes = (key: string) => {
      try {
        return readEnv({ TASKBRIDGE_DEMO_API_KEY: key }).demoApiKey === key;
      } catch (error) {
        if (error instanceof EnvError) return false;
        throw error;
      }
    };
    const verdicts = samples.map((key) => ({
      key,
      keyDigest: keyDigest([key]).status === 0,
      config: configTakes(key),
      env: envTakes(key),
    }));
    for (const verdict of verdicts) {
      expect(verdict.config, verdict.key).toBe(verdict.keyDigest);
      expect(verdict.env, verdict.key).toBe(verdict.keyDigest);
    }
    // The samples hold both kinds, so agreeing says something.
    expect(new Set(verdicts.map((verdict) => verdict.keyDigest))).toEqual(new Set([true, false]));
  });
});
