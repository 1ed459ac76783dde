import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { devServiceOrigin } from "./env.ts";

const example = parseEnv(readFileSync(new URL("../../../.env.example", import.meta.url), "utf8"));

/** The names devServiceOrigin looks up, found by handing it an environment that records every read. */
function variablesRead(): string[] {
  const read = new Set<string>();
  devServiceOrigin(new Proxy({}, { get: (_, name) => void read.add(String(name)) }));
  return [...read].sort();
}

describe(".env.example at the repo root", () => {
  it("lists every variable the dev server reads", () => {
    const missing = variablesRead().filter((name) => !(name in example));
    expect(missing, "add each variable src/env.ts reads to .env.example, with its default and meaning").toEqual([]);
  });

  it("gives them their real defaults (an empty value stands for unset)", () => {
    expect(devServiceOrigin(example)).toBe(devServiceOrigin({}));
  });
});
