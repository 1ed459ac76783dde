import { execFileSync } from "node:child_process";

export interface CommitInfo {
  hash: string;
  short: string;
  /** Tracked files differed from the commit when the run started: the figures are of uncommitted code. */
  dirty: boolean;
}

/** The commit checked out in `dir`, or undefined outside a git checkout (or without git). */
export function describeCommit(dir: string): CommitInfo | undefined {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    return {
      hash: git("rev-parse", "HEAD"),
      short: git("rev-parse", "--short", "HEAD"),
      dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    };
  } catch {
    return undefined;
  }
}
