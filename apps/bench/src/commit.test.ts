import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { describeCommit } from "./commit.ts";
import { commandName } from "./machine.ts";

describe("describeCommit", () => {
  it("names the commit checked out here", () => {
    const here = fileURLToPath(new URL(".", import.meta.url));
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: here, encoding: "utf8" }).trim();
    const commit = describeCommit(here);
    expect(commit?.hash).toBe(head);
    expect(head.startsWith(commit?.short ?? "-")).toBe(true);
    expect(typeof commit?.dirty).toBe("boolean");
  });

  it("is undefined outside a git checkout", () => {
    const dir = mkdtempSync(`${tmpdir()}/taskbridge-bench-nogit-`);
    try {
      expect(describeCommit(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("commandName", () => {
  it("keeps the program and the end of the script's path, never other arguments", () => {
    expect(commandName(["/usr/bin/node", "--flag", "/work/x/apps/graphql/src/main.ts", "--key", "s3cret"])).toBe(
      "node graphql/src/main.ts",
    );
    expect(commandName(["redis-server *:6379"])).toBe("redis-server *:6379");
  });
});
