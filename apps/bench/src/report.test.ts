import { describe, expect, it } from "vitest";
import { type BurstRun, type LatencyRun, type RawResults, runOrder, type SaturationRun } from "./bench.ts";
import { markdown, summarize } from "./report.ts";
import type { RunSystemName, SystemName } from "./workload.ts";

const cpu = { system: 1, sandbox: 0, load: 0, others: 0 };

function saturation(system: RunSystemName, repeat: number, rps: number): SaturationRun {
  const run = {
    connections: 128,
    seconds: 10,
    completed: rps * 10,
    bad: 0,
    errors: 0,
    latencyP50Ms: 1,
    latencyP99Ms: 2,
  };
  return { ...run, rps, system, scenario: "task:capy", repeat, cpu, upstreamPerQuery: 1 };
}

function latency(system: SystemName, repeat: number, p50Ms: number, p99Ms: number): LatencyRun {
  const run = { rate: 1000, connections: 64, seconds: 10, sent: 10_000, good: 10_000, bad: 0, p90Ms: p99Ms };
  const rest = { maxMs: p99Ms, serviceP50Ms: p50Ms, serviceP99Ms: p99Ms };
  return { ...run, ...rest, p50Ms, p99Ms, system, scenario: "task:capy", repeat, cpu };
}

function burst(system: SystemName, repeat: number, lastMs: number, middleMs: number): BurstRun {
  return { size: 32, bursts: 50, good: 1600, bad: 0, lastMs, middleMs, system, scenario: "task:capy", repeat };
}

/** Three repeats on a machine that slows down: each repeat's pair ran at the same speed, the repeats did not. */
function drifting(): RawResults {
  const probe = { ok: true, calls: 1, taskReads: 1, lookups: 0, distinctPeople: 0 };
  return {
    options: { rate: 1000, repeats: 3, durationS: 10, burstSize: 32, bursts: 50, delayMs: 5 },
    machine: { cpus: 2 },
    connections: 128,
    sweep: [],
    probes: { "task:capy": { proxy: probe, taskbridge: probe } },
    saturation: [
      saturation("proxy", 0, 9000),
      saturation("taskbridge", 0, 5400),
      saturation("taskbridge", 1, 3000),
      saturation("proxy", 1, 5000),
      saturation("proxy", 2, 7000),
      saturation("taskbridge", 2, 4200),
    ],
    latency: [
      latency("proxy", 0, 6, 15),
      latency("taskbridge", 0, 6.2, 19.5),
      latency("taskbridge", 1, 6.3, 24),
      latency("proxy", 1, 6, 22),
      latency("proxy", 2, 6, 18),
      latency("taskbridge", 2, 6.4, 19),
    ],
    burst: [
      burst("proxy", 0, 11, 10),
      burst("taskbridge", 0, 12, 10.5),
      burst("taskbridge", 1, 16, 13),
      burst("proxy", 1, 14, 12),
      burst("proxy", 2, 12, 11),
      burst("taskbridge", 2, 13.5, 11.9),
    ],
    peakRss: { proxy: 0, taskbridge: 0, sandbox: 0 },
    soak: undefined,
  } as unknown as RawResults;
}

describe("summarize", () => {
  const [capy] = summarize(drifting()).scenarios;

  it("takes the throughput ratio within each repeat, then the median", () => {
    // Per repeat 0.6, 0.6, 0.6; the ratio of the medians (5400 / 7000) would say 0.771.
    expect(capy?.rps).toEqual({ proxy: 7000, taskbridge: 4200 });
    expect(capy?.ratio).toBe(0.6);
  });

  it("takes added latency within each repeat, then the median", () => {
    // Per repeat +4.5, +2, +1 ms at p99; the difference of the medians would be 19.5 − 18 = 1.5.
    expect(capy?.latency?.addedP99Ms).toBe(2);
    expect(capy?.latency?.addedP50Ms).toBe(0.3);
  });

  it("takes a burst's added time within each repeat, then the median", () => {
    // Per repeat +1, +2, +1.5 ms to the last answer; the difference of the medians would be 13.5 − 12 = 1.5.
    expect(capy?.burst).toMatchObject({ size: 32, lastMs: { proxy: 12, taskbridge: 13.5 }, addedLastMs: 1.5 });
    expect(capy?.burst?.addedMiddleMs).toBe(0.9);
  });
});

describe("runOrder", () => {
  it("alternates which system of a repeat runs first", () => {
    const pair = ["proxy", "taskbridge"] as const;
    expect(runOrder(0, pair)).toEqual(["proxy", "taskbridge"]);
    expect(runOrder(1, pair)).toEqual(["taskbridge", "proxy"]);
    expect(runOrder(2, pair)).toEqual(["proxy", "taskbridge"]);
  });

  it("reverses every system of a repeat in odd ones, so each keeps its distance to Taskbridge as it is", () => {
    const all = ["proxy", "taskbridge", "taskbridge+metrics", "taskbridge+tracing"] as const;
    expect(runOrder(1, all)).toEqual(["taskbridge+tracing", "taskbridge+metrics", "taskbridge", "proxy"]);
  });
});

/** The drifting repeats of task:capy with both telemetry variants in them, and one repeat of tasks50 and list20. */
function withTelemetry(): RawResults {
  const raw = drifting();
  const probe = { ok: true, calls: 1, taskReads: 1, lookups: 0, distinctPeople: 0, byRoute: {}, traced: 0 };
  const other = (scenario: "tasks50" | "list20", proxy: number, taskbridge: number) => [
    { ...saturation("proxy", 0, proxy), scenario },
    { ...saturation("taskbridge", 0, taskbridge), scenario },
  ];
  return {
    ...raw,
    probes: {
      ...raw.probes,
      tasks50: { proxy: probe, taskbridge: probe },
      list20: { proxy: probe, taskbridge: probe },
    },
    saturation: [
      ...raw.saturation,
      // Per repeat: metrics 0.96, 0.94, 0.97 of Taskbridge; tracing 0.8, 0.9, 0.85.
      saturation("taskbridge+metrics", 0, 5184),
      saturation("taskbridge+metrics", 1, 2820),
      saturation("taskbridge+metrics", 2, 4074),
      saturation("taskbridge+tracing", 0, 4320),
      saturation("taskbridge+tracing", 1, 2700),
      saturation("taskbridge+tracing", 2, 3570),
      ...other("tasks50", 300, 140),
      ...other("list20", 1000, 550),
    ],
    telemetry: { scenario: "task:capy", variants: ["taskbridge+metrics", "taskbridge+tracing"], checks: [] },
    peakRss: { proxy: 0, taskbridge: 0, sandbox: 0, "taskbridge+metrics": 0, "taskbridge+tracing": 0 },
  };
}

describe("targets", () => {
  const summary = summarize(withTelemetry());
  const target = (name: string) => summary.targets.find((t) => t.name.startsWith(name));

  it("compares each telemetry variant with Taskbridge as it is within each repeat, and with the proxy", () => {
    expect(summary.telemetry?.variants).toEqual([
      { system: "taskbridge+metrics", rps: 4074, cores: 1, ratio: 0.96, ratioToProxy: 0.576 },
      { system: "taskbridge+tracing", rps: 3570, cores: 1, ratio: 0.85, ratioToProxy: 0.51 },
    ]);
  });

  it("marks each of issue 25's, 23's and 26's throughput targets met or missed", () => {
    expect(target("throughput at saturation, single task")).toMatchObject({ source: "issue 25", met: true });
    expect(target("throughput at saturation, 50-task")).toMatchObject({ actual: "0.467×", met: false });
    expect(target("throughput at saturation, cross-vendor")).toMatchObject({ source: "issue 23", met: true });
    expect(target("throughput with metrics on")).toMatchObject({ source: "issue 26", actual: "0.96× (0.576× proxy)" });
    expect(target("throughput with metrics on")?.met).toBe(true);
    expect(target("throughput with tracing on")?.met).toBe(true);
  });

  it("prints them, and the telemetry table", () => {
    // Table cells are padded to their column's width: compared with the padding taken out.
    const text = markdown(summary, withTelemetry()).replace(/ {2,}/g, " ");
    expect(text).toContain("| metrics on (`TASKBRIDGE_METRICS_PORT`) | 4074 | 1 | 0.96× | 0.576× |");
    expect(text).toMatch(
      /\| throughput at saturation, 50-task query \| issue 25 \| ≥ 0.5× proxy \| 0.467× \| MISSED \|/,
    );
  });
});
