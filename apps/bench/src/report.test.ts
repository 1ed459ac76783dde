import { describe, expect, it } from "vitest";
import { type BurstRun, type LatencyRun, pairOrder, type RawResults, type SaturationRun } from "./bench.ts";
import { summarize } from "./report.ts";
import type { SystemName } from "./workload.ts";

const cpu = { system: 1, sandbox: 0, load: 0, others: 0 };

function saturation(system: SystemName, repeat: number, rps: number): SaturationRun {
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
    options: { rate: 1000, repeats: 3, durationS: 10, burstSize: 32 },
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

describe("pairOrder", () => {
  it("alternates which system of a repeat runs first", () => {
    expect(pairOrder(0)).toEqual(["proxy", "taskbridge"]);
    expect(pairOrder(1)).toEqual(["taskbridge", "proxy"]);
    expect(pairOrder(2)).toEqual(["proxy", "taskbridge"]);
  });
});
