import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
    expect(commit?.short).toMatch(/^[0-9a-f]{7,}$/);
    expect(head.startsWith(commit?.short ?? "-")).toBe(true);
  });

  it("is dirty while a tracked file differs from the commit, and only then", () => {
    const dir = mkdtempSync(`${tmpdir()}/taskbridge-bench-git-`);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
    try {
      git("init", "-q");
      writeFileSync(`${dir}/figures.txt`, "1\n");
      git("add", "figures.txt");
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
      expect(describeCommit(dir)?.dirty).toBe(false);
      writeFileSync(`${dir}/untracked.txt`, "not part of the figures\n");
      expect(describeCommit(dir)?.dirty).toBe(false);
      writeFileSync(`${dir}/figures.txt`, "2\n");
      expect(describeCommit(dir)?.dirty).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
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
