import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CommitInfo } from "./commit.ts";

/** A recorded full run: `<UTC date-time>-<short commit>.json`, so names sort by time. */
const RECORDED = /^\d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-z]+\.json$/;

/** The name a full run started at `startedAt` (ISO) on `commit` is recorded under. */
export function recordedName(startedAt: string, commit: CommitInfo | undefined): string {
  const stamp = startedAt.replace(/[-:]/g, "").replace(/^(\d{4})(\d{2})(\d{2})T(\d{6}).*$/, "$1-$2-$3T$4Z");
  return `${stamp}-${commit?.short ?? "nogit"}.json`;
}

/** The newest recorded run in `dir` (its file name), or undefined when there is none. */
export function newestRecorded(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  return names
    .filter((name) => RECORDED.test(name))
    .sort()
    .at(-1);
}

/**
 * Where a run's JSON goes. A run is recorded (the data README.md's "Latest result" is rendered from) unless its
 * figures mean nothing (quick), are distorted (profiled), or are wanted somewhere else (`--out`).
 */
export function outputFiles(
  run: { out: string | undefined; quick: boolean; cpuProf: boolean; startedAt: string; commit: CommitInfo | undefined },
  resultsDir: string,
): { files: string[]; recorded: boolean } {
  if (run.out !== undefined) return { files: [run.out], recorded: false };
  const latest = join(resultsDir, "latest.json");
  if (run.quick || run.cpuProf) return { files: [latest], recorded: false };
  return { files: [latest, join(resultsDir, recordedName(run.startedAt, run.commit))], recorded: true };
}
