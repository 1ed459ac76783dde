import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { readEnv } from "./env.ts";

const example = parseEnv(readFileSync(new URL("../../../.env.example", import.meta.url), "utf8"));
/** Read by the example app's dev server (apps/web/src/env.ts), whose own test checks them here. */
const DEV_SERVER_ONLY = new Set(["TASKBRIDGE_URL"]);

/** The names readEnv looks up, found by handing it an environment that records every read. */
function variablesRead(): string[] {
  const read = new Set<string>();
  const recorder = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_, name) => {
        if (typeof name === "string") read.add(name);
        return undefined;
      },
    },
  );
  try {
    readEnv(recorder);
  } catch {
    // A variable without a default makes readEnv throw, after it has been read: it is listed all the same.
  }
  return [...read].sort();
}

function withoutLookup(env: ReturnType<typeof readEnv>) {
  const { lookup: _, ...values } = env;
  return values;
}

describe(".env.example at the repo root", () => {
  it("lists every variable env.ts reads, and no other but the dev server's", () => {
    const message = "add each variable env.ts reads to .env.example, with its default and meaning";
    const listed = Object.keys(example).filter((name) => !DEV_SERVER_ONLY.has(name));
    expect(listed.sort(), message).toEqual(variablesRead());
  });

  it("gives each variable its real default (an empty value stands for unset)", () => {
    const message = "a value in .env.example differs from env.ts's default";
    expect(withoutLookup(readEnv(example)), message).toEqual(withoutLookup(readEnv({})));
  });
});
