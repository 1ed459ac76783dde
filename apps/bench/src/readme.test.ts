import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { RawResults } from "./bench.ts";
import { DEFAULTS } from "./options.ts";
import { currentSection, END, renderLatest, renderNewest, START, updateReadme } from "./readme.ts";
import { summarize } from "./report.ts";
import { newestRecorded, outputFiles, recordedName } from "./results.ts";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const RESULTS = fileURLToPath(new URL("../results", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "taskbridge-bench-readme-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README.md's Latest result", () => {
  it("is what the newest recorded run in results/ renders to (npm run bench -- --readme)", () => {
    expect(currentSection(readFileSync(README, "utf8"))).toBe(renderNewest(RESULTS));
  });
});

/** One recorded single-task run with its commit, machine and options: the figures are not the point. */
function recorded(): RawResults {
  const probe = { ok: true, calls: 1, taskReads: 1, lookups: 0, distinctPeople: 0, byRoute: {}, traced: 0 };
  const cpu = { system: 1, sandbox: 0.3, load: 0.4, others: 0.05 };
  const run = {
    connections: 64,
    seconds: 8,
    bad: 0,
    errors: 0,
    latencyP50Ms: 9,
    latencyP99Ms: 20,
    upstreamPerQuery: 1,
  };
  return {
    startedAt: "2026-12-07T13:04:05.120Z",
    finishedAt: "2026-12-07T13:26:40.000Z",
    commit: { hash: "cf573f8".padEnd(40, "0"), short: "cf573f8", dirty: false },
    options: { ...DEFAULTS, vendors: ["capy"], soakS: 0 },
    machine: {
      node: "v24.21.0",
      cpus: 2,
      cpuModel: "Test CPU",
      memoryGiB: 23.5,
      loadavg: [0.1, 0.2, 0.3],
      busyProcesses: [{ pid: 1, command: "node vitest/vitest.mjs", cores: 0.07 }],
    },
    connections: 64,
    sweep: [],
    probes: { "task:capy": { proxy: probe, taskbridge: probe } } as RawResults["probes"],
    saturation: [
      { ...run, rps: 10_000, completed: 80_000, system: "proxy", scenario: "task:capy", repeat: 0, cpu },
      { ...run, rps: 5_500, completed: 44_000, system: "taskbridge", scenario: "task:capy", repeat: 0, cpu },
    ],
    latency: [],
    burst: [],
    telemetry: undefined,
    peakRss: { proxy: 2 ** 28, taskbridge: 2 ** 29, sandbox: 2 ** 27 },
    soak: undefined,
  };
}

describe("renderLatest", () => {
  const raw = recorded();
  const file = recordedName(raw.startedAt, raw.commit);
  const text = renderLatest({ file, results: { summary: summarize(raw), raw } });

  it("links the file it comes from and names the commit, the time, the options and the machine", () => {
    expect(file).toBe("2026-12-07T130405Z-cf573f8.json");
    expect(text).toContain(`[\`results/${file}\`](results/${file}): commit \`cf573f8\`, 2026-12-07 13:04–13:26 UTC`);
    expect(text).toContain('options other than the defaults: soakS 0, vendors ["capy"]');
    expect(text).toContain("2 cores (Test CPU)");
    expect(text).toContain("busy: node vitest/vitest.mjs (0.07 cores)");
  });

  it("holds the report, its targets marked met or missed", () => {
    // Table cells are padded to their column's width: compared with the padding taken out.
    const unpadded = text.replace(/ {2,}/g, " ");
    expect(unpadded).toContain("| task (Capy) | 10000 | 5500 | 0.55× |");
    expect(unpadded).toContain("| ≥ 0.6× proxy | 0.55× | MISSED |");
    expect(text.startsWith(START) && text.endsWith(END)).toBe(true);
  });

  it("says so when no run is recorded", () => {
    expect(renderNewest(join(dir, "none"))).toContain("No full run is recorded yet");
  });
});

describe("updateReadme", () => {
  it("renders the newest recorded run between the markers and leaves the rest alone", () => {
    const raw = recorded();
    const results = join(dir, "results");
    const older = { ...raw, startedAt: "2026-12-06T09:00:00.000Z" };
    rmSync(results, { recursive: true, force: true });
    for (const r of [older, raw]) {
      const json = JSON.stringify({ summary: summarize(r), raw: r });
      writeFileSync(join(mkdirp(results), recordedName(r.startedAt, r.commit)), json);
    }
    writeFileSync(join(results, "latest.json"), "{}");
    expect(newestRecorded(results)).toBe("2026-12-07T130405Z-cf573f8.json");

    const readme = join(dir, "README.md");
    writeFileSync(readme, `# Bench\n\n## Latest result\n\n${START}\nstale\n${END}\n\nAfter.\n`);
    expect(updateReadme(readme, results)).toBe(true);
    const text = readFileSync(readme, "utf8");
    expect(text.startsWith("# Bench\n\n## Latest result\n\n")).toBe(true);
    expect(text.endsWith(`${END}\n\nAfter.\n`)).toBe(true);
    expect(text).toContain("2026-12-07T130405Z-cf573f8.json");
    expect(updateReadme(readme, results)).toBe(false);
  });

  it("refuses a README without the markers", () => {
    const readme = join(dir, "NO-MARKERS.md");
    writeFileSync(readme, "# Bench\n");
    expect(() => updateReadme(readme, dir)).toThrow(/no <!-- latest-result:start -->/);
  });
});

describe("outputFiles", () => {
  const run = { out: undefined, quick: false, cpuProf: false, startedAt: "2026-12-07T13:04:05.120Z" };
  const commit = { hash: "", short: "cf573f8", dirty: false };

  it("records a full run under its date-time and commit, beside latest.json", () => {
    expect(outputFiles({ ...run, commit }, "/r")).toEqual({
      files: ["/r/latest.json", "/r/2026-12-07T130405Z-cf573f8.json"],
      recorded: true,
    });
  });

  it("records no quick or profiled run, and nothing but --out's file", () => {
    expect(outputFiles({ ...run, quick: true, commit }, "/r")).toEqual({ files: ["/r/latest.json"], recorded: false });
    expect(outputFiles({ ...run, cpuProf: true, commit }, "/r").recorded).toBe(false);
    expect(outputFiles({ ...run, out: "/tmp/x.json", commit }, "/r")).toEqual({
      files: ["/tmp/x.json"],
      recorded: false,
    });
  });
});

function mkdirp(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
