import type { Vendor } from "@taskbridge/sandbox";
import { BENCH_NODE_FLAGS } from "./service-process.ts";
import { type ScenarioName, TELEMETRY, type Telemetry, VENDORS } from "./workload.ts";

export interface BenchOptions {
  /** Fixed upstream delay of every sandbox answer, ms. */
  delayMs: number;
  /** Seconds of each measured run. */
  durationS: number;
  /** Seconds of load per system and scenario before anything is measured (JIT, pools, caches of the runtime). */
  warmupS: number;
  repeats: number;
  /** Concurrent connections at saturation; undefined: found by a sweep on the proxy. */
  connections: number | undefined;
  /** Candidates of the sweep. */
  sweep: readonly number[];
  /** Fixed request rate of the latency runs, per second. */
  rate: number;
  /** Connections the fixed-rate load spreads over. */
  rateConnections: number;
  /** Bursts per system, query and repeat (0: none), each `burstSize` requests sent at once. */
  bursts: number;
  burstSize: number;
  /** Upstream connection cap of each vendor pool, for both systems. */
  upstreamConnections: number;
  /** Distinct API keys (one per connection, reused round-robin past this many). */
  keys: number;
  /** Seconds of the Taskbridge memory soak (0: none). */
  soakS: number;
  /** Request rate of the soak. */
  soakRate: number;
  vendors: readonly Vendor[];
  /** Only these queries (default: every one). */
  scenarios: readonly ScenarioName[] | undefined;
  /** Taskbridge variants with this telemetry on, measured at saturation on the first single-task query. */
  telemetry: readonly Telemetry[];
  cpuProf: boolean;
  /** Taskbridge's LOG_LEVEL. */
  logLevel: string;
  /** V8 flags of both systems under test (default: BENCH_NODE_FLAGS). */
  nodeFlags: readonly string[];
  /** Where latest.json, the Taskbridge config and profiles go. */
  resultsDir: string;
  quick: boolean;
}

export const DEFAULTS: Omit<BenchOptions, "resultsDir"> = {
  delayMs: 5,
  durationS: 8,
  warmupS: 3,
  repeats: 5,
  connections: undefined,
  sweep: [32, 64, 128, 256],
  rate: 1000,
  rateConnections: 64,
  bursts: 50,
  burstSize: 32,
  upstreamConnections: 256,
  keys: 256,
  soakS: 120,
  soakRate: 1000,
  vendors: VENDORS,
  scenarios: undefined,
  telemetry: TELEMETRY,
  cpuProf: false,
  logLevel: "info",
  nodeFlags: BENCH_NODE_FLAGS,
  quick: false,
};

/** A smoke run of every step in seconds: the figures mean nothing, the shape of the result is the point. */
export const QUICK: Partial<BenchOptions> = {
  durationS: 1,
  warmupS: 1,
  repeats: 1,
  connections: 16,
  rate: 200,
  rateConnections: 16,
  bursts: 3,
  burstSize: 8,
  upstreamConnections: 32,
  keys: 32,
  soakS: 2,
  soakRate: 200,
  quick: true,
};

/** RSS is compared between this point of the soak and its end. */
export function soakCheckpointS(soakS: number): number {
  return soakS >= 40 ? 20 : soakS / 2;
}
