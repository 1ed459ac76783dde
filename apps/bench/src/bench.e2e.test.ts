import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runBench } from "./bench.ts";
import { DEFAULTS, QUICK } from "./options.ts";

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const SUMMARY = fileURLToPath(new URL("./profile-summary.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "taskbridge-bench-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The quick mode end to end: sandbox, proxy and Taskbridge processes, real load over loopback. It checks the
 * shape of what the benchmark reports and the upstream call budget of the 50-task query, never a time.
 */
describe("bench --quick", () => {
  it("runs every step and writes the summary and the raw runs as JSON", async () => {
    const out = join(dir, "quick.json");
    const { stdout } = await run(
      process.execPath,
      [MAIN, "--quick", "--vendors", "maxai,maxsight", "--warmup", "0", "--soak", "1", "--out", out],
      { timeout: 90_000 },
    );
    // The report's table, its cells padded to their columns (compared with the padding taken out).
    expect(stdout.replace(/ {2,}/g, " ")).toContain("| query | proxy req/s | Taskbridge req/s |");

    const { summary, raw } = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(summary).sort()).toEqual(
      [
        "badAnswers",
        "batch",
        "connections",
        "delayMs",
        "othersCores",
        "peakRssMiB",
        "scenarios",
        "soak",
        "targets",
        "telemetry",
      ].sort(),
    );
    expect(summary.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual([
      "task:maxai",
      "task:maxsight",
      "tasks50",
      "list20",
    ]);
    for (const s of summary.scenarios) {
      expect(Object.keys(s.rps).sort()).toEqual(["proxy", "taskbridge"]);
      expect(s.rps.proxy).toBeGreaterThan(0);
      expect(s.rps.taskbridge).toBeGreaterThan(0);
      expect(typeof s.ratio).toBe("number");
      if (!s.scenario.startsWith("task:")) {
        expect(s.latency).toBeUndefined();
        expect(s.burst).toBeUndefined();
      } else {
        expect(Object.keys(s.latency).sort()).toEqual(["addedP50Ms", "addedP99Ms", "p50Ms", "p99Ms", "rate"]);
        expect(s.burst.lastMs.taskbridge).toBeGreaterThanOrEqual(s.burst.middleMs.taskbridge);
        expect(s.burst.middleMs.proxy).toBeGreaterThan(0);
      }
    }
    // A single-task query costs exactly one upstream read, in both systems.
    for (const s of summary.scenarios.filter((x: { scenario: string }) => x.scenario.startsWith("task:"))) {
      expect(s.upstreamCalls).toEqual({ proxy: 1, taskbridge: 1 });
    }
    // A cross-vendor page of 20: one listing call per vendor and Capy's read of its 5 tasks, in both systems.
    const list = summary.scenarios.find((x: { scenario: string }) => x.scenario === "list20");
    expect(list.upstreamCalls).toEqual({ proxy: 9, taskbridge: 9 });
    expect(summary.peakRssMiB.taskbridge).toBeGreaterThan(0);
    expect(summary.soak.rssAtEndMiB).toBeGreaterThan(0);
    // Issue 25's, 23's and 26's throughput targets, issue 7's call and memory targets: each met or missed.
    expect(summary.targets).toHaveLength(8);
    for (const t of summary.targets) expect(typeof t.met).toBe("boolean");

    // Metrics and tracing each on in a Taskbridge of its own, beside Taskbridge as it is on the first query only:
    // the metrics one serves the project's series, the tracing one sends a traceparent on every vendor call.
    expect(summary.telemetry.scenario).toBe("task:maxai");
    expect(summary.telemetry.variants.map((v: { system: string }) => v.system)).toEqual([
      "taskbridge+metrics",
      "taskbridge+tracing",
    ]);
    for (const v of summary.telemetry.variants) expect(v.rps).toBeGreaterThan(0);
    const checks = Object.fromEntries(raw.telemetry.checks.map((c: { system: string }) => [c.system, c]));
    expect(checks.taskbridge).toMatchObject({ vendorCalls: 1, tracedCalls: 0, metricSeries: 0 });
    expect(checks["taskbridge+metrics"].tracedCalls).toBe(0);
    expect(checks["taskbridge+metrics"].metricSeries).toBeGreaterThan(0);
    expect(checks["taskbridge+tracing"]).toMatchObject({ vendorCalls: 1, tracedCalls: 1, metricSeries: 0 });
    const variantRuns = raw.saturation.filter((r: { system: string }) => r.system.startsWith("taskbridge+"));
    expect(variantRuns.map((r: { scenario: string }) => r.scenario)).toEqual(["task:maxai", "task:maxai"]);

    // 50 task reads and at most one lookup per distinct person.
    const { batch } = summary;
    expect(batch.taskReads).toBe(50);
    expect(batch.distinctPeople).toBeGreaterThan(0);
    expect(batch.taskReads + batch.lookups).toBeLessThanOrEqual(50 + batch.distinctPeople);

    // Every run answered correctly: the figures are about right answers only.
    for (const r of [...raw.saturation, ...raw.latency, ...raw.burst]) expect(r.bad).toBe(0);
    // Every burst got all its answers: quick mode runs 3 bursts of 8 per system and query.
    for (const r of raw.burst) expect(r.good).toBe(3 * 8);
    expect(raw.saturation.filter((r: { system: string }) => r.system === "taskbridge").length).toBe(4);
  }, 120_000);

  it("profiles every Taskbridge system under its own name, with the requests it answered", async () => {
    const log: string[] = [];
    const options = { ...DEFAULTS, ...QUICK, scenarios: ["task:maxai" as const], bursts: 0, soakS: 0 };
    await runBench({ ...options, telemetry: ["tracing"], cpuProf: true, resultsDir: dir }, (line) => log.push(line));

    const profiled = log.flatMap((line) => {
      const m = /^profile of (\S+): (\S+) \((\d+) requests under load\)$/.exec(line);
      return m ? [{ system: m[1], file: m[2] as string, requests: Number(m[3]) }] : [];
    });
    expect(profiled.map((p) => p.system).sort()).toEqual(["taskbridge", "taskbridge+tracing"]);
    for (const { system, file, requests } of profiled) {
      expect(file.startsWith(join(dir, "profiles", `${system}-`))).toBe(true);
      expect(requests).toBeGreaterThan(0);
      const { stdout } = await run(process.execPath, [SUMMARY, file, "--top", "3", "--requests", String(requests)]);
      const [, busyMs, perRequestUs] =
        /Busy CPU time: (\d+) ms \(idle excluded\), ([\d.]+) µs per request/.exec(stdout) ?? [];
      // The per-request figure is the busy time shared out over the requests the log gave.
      expect(Number(perRequestUs)).toBeCloseTo((Number(busyMs) * 1000) / requests, 0);
      expect(stdout).toContain("| package | self ms | % of busy | µs/request |");
    }
  }, 120_000);
});
