import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.ts";
import { TASKBRIDGE_NODE_FLAGS } from "./service-process.ts";

describe("parseCli", () => {
  it("gives both systems Taskbridge's start flags unless --node-flags says otherwise", () => {
    expect(parseCli([]).options.nodeFlags).toEqual(TASKBRIDGE_NODE_FLAGS);
    expect(parseCli(["--node-flags=--max-semi-space-size=8  --no-opt"]).options.nodeFlags).toEqual([
      "--max-semi-space-size=8",
      "--no-opt",
    ]);
  });

  it("refuses a number out of range and an unknown vendor", () => {
    expect(() => parseCli(["--repeats", "0"])).toThrow(/--repeats must be a number ≥ 1/);
    expect(() => parseCli(["--vendors", "maxai,jira"])).toThrow(/unknown vendor jira/);
  });

  it("runs only the queries --scenarios names, and refuses one it does not know", () => {
    expect(parseCli([]).options.scenarios).toBeUndefined();
    expect(parseCli(["--scenarios", "list20,task:capy"]).options.scenarios).toEqual(["list20", "task:capy"]);
    expect(() => parseCli(["--scenarios", "list99"])).toThrow(/unknown scenario list99/);
  });
});

describe("TASKBRIDGE_NODE_FLAGS", () => {
  it("are the flags of the graphql app's start script", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../graphql/package.json", import.meta.url), "utf8"));
    expect(pkg.scripts.start).toBe(`node ${TASKBRIDGE_NODE_FLAGS.join(" ")} src/main.ts`);
  });
});
