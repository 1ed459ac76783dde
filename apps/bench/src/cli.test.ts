import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.ts";
import { BENCH_NODE_FLAGS } from "./service-process.ts";

describe("parseCli", () => {
  it("gives both systems the bench's V8 flags unless --node-flags says otherwise", () => {
    expect(parseCli([]).options.nodeFlags).toEqual(BENCH_NODE_FLAGS);
    expect(parseCli(["--node-flags=--max-semi-space-size=8  --no-opt"]).options.nodeFlags).toEqual([
      "--max-semi-space-size=8",
      "--no-opt",
    ]);
  });

  it("refuses a number out of range and an unknown vendor", () => {
    expect(() => parseCli(["--repeats", "0"])).toThrow(/--repeats must be a number ≥ 1/);
    expect(() => parseCli(["--vendors", "maxai,jira"])).toThrow(/unknown vendor jira/);
  });

  it("measures both telemetry variants unless --telemetry names fewer or none", () => {
    expect(parseCli([]).options.telemetry).toEqual(["metrics", "tracing"]);
    expect(parseCli(["--telemetry", "tracing"]).options.telemetry).toEqual(["tracing"]);
    expect(parseCli(["--telemetry", "none"]).options.telemetry).toEqual([]);
    expect(() => parseCli(["--telemetry", "logs"])).toThrow(/unknown telemetry logs/);
  });

  it("runs only the queries --scenarios names, and refuses one it does not know", () => {
    expect(parseCli([]).options.scenarios).toBeUndefined();
    expect(parseCli(["--scenarios", "list20,task:capy"]).options.scenarios).toEqual(["list20", "task:capy"]);
    expect(() => parseCli(["--scenarios", "list99"])).toThrow(/unknown scenario list99/);
  });
});

describe("BENCH_NODE_FLAGS", () => {
  it("include every V8 flag the service's start scripts run it with (npm start, npm run serve)", () => {
    const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")).scripts;
    const scripts = [read("../../graphql/package.json").start, read("../../../package.json")["serve:run"]];
    for (const script of scripts as string[]) {
      const flags = script.split(" ").filter((word) => word.startsWith("--"));
      expect(flags.length).toBeGreaterThan(0);
      for (const flag of flags) expect(BENCH_NODE_FLAGS).toContain(flag);
    }
  });
});
