import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RawResults } from "./bench.ts";
import { DEFAULTS } from "./options.ts";
import { markdown, type Summary } from "./report.ts";
import { newestRecorded } from "./results.ts";

/** What a results file holds. */
export interface Results {
  summary: Summary;
  raw: RawResults;
}

export const START = "<!-- latest-result:start -->";
export const END = "<!-- latest-result:end -->";
const NOTE =
  "<!-- Generated from the newest file in results/ by `npm run bench -- --readme` (a full run does it too); src/readme.test.ts checks it. -->";

/** The README's "Latest result" section for a recorded run (`file`, in results/), or for none yet. */
export function renderLatest(recorded: { file: string; results: Results } | undefined): string {
  if (!recorded) {
    return [START, NOTE, "", "No full run is recorded yet: `npm run bench` records one in results/.", END].join("\n");
  }
  const { file, results } = recorded;
  const { raw, summary } = results;
  const commit = raw.commit
    ? `commit \`${raw.commit.short}\`${raw.commit.dirty ? " with uncommitted changes" : ""}`
    : "no git commit";
  const m = raw.machine;
  const busy = m.busyProcesses.length
    ? m.busyProcesses.map((p) => `${p.command} (${p.cores} cores)`).join(", ")
    : "nothing";
  return [
    START,
    NOTE,
    "",
    `[\`results/${file}\`](results/${file}): ${commit}, ${period(raw.startedAt, raw.finishedAt)}, ${optionsText(raw.options)}.`,
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; before the run, load average ${m.loadavg.join(" / ")} and busy: ${busy}.`,
    "",
    markdown(summary, raw),
    END,
  ].join("\n");
}

/** `2026-12-07 13:04–13:26 UTC` */
function period(startedAt: string, finishedAt: string): string {
  const [day, start] = [startedAt.slice(0, 10), startedAt.slice(11, 16)];
  const end =
    finishedAt.slice(0, 10) === day
      ? finishedAt.slice(11, 16)
      : `${finishedAt.slice(0, 10)} ${finishedAt.slice(11, 16)}`;
  return `${day} ${start}–${end} UTC`;
}

/** The options that differ from `npm run bench`'s defaults, as set. */
function optionsText(options: RawResults["options"]): string {
  const defaults = DEFAULTS as unknown as Record<string, unknown>;
  const changed = Object.entries(options).filter(
    ([key, value]) => key in defaults && JSON.stringify(value) !== JSON.stringify(defaults[key]),
  );
  if (changed.length === 0) return "`npm run bench` with its defaults";
  return `options other than the defaults: ${changed.map(([key, value]) => `${key} ${JSON.stringify(value)}`).join(", ")}`;
}

/** The section between the markers, markers included. */
export function currentSection(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return readme.slice(start, end + END.length);
}

/** What the newest recorded run in `resultsDir` renders to. */
export function renderNewest(resultsDir: string): string {
  const file = newestRecorded(resultsDir);
  if (!file) return renderLatest(undefined);
  const results = JSON.parse(readFileSync(join(resultsDir, file), "utf8")) as Results;
  return renderLatest({ file, results });
}

/** Rewrites the README's section from the newest recorded run; says whether it changed. */
export function updateReadme(readmePath: string, resultsDir: string): boolean {
  const readme = readFileSync(readmePath, "utf8");
  const section = currentSection(readme);
  const at = readme.indexOf(section);
  const updated = readme.slice(0, at) + renderNewest(resultsDir) + readme.slice(at + section.length);
  if (updated === readme) return false;
  writeFileSync(readmePath, updated);
  return true;
}
