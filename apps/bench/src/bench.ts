import {
  type BurstResult,
  type FixedRateResult,
  fixedRate,
  type LoadTarget,
  type SaturationResult,
  saturate,
} from "./load.ts";
import { type LoadProcess, startLoadProcess } from "./load-process.ts";
import { describeMachine, type MachineInfo } from "./machine.ts";
import { cpuMeter, memory, mib } from "./metrics.ts";
import { type BenchOptions, soakCheckpointS } from "./options.ts";
import { probeUpstream, type UpstreamProbe } from "./probe.ts";
import { clearUpstreamCounts, startSandboxProcess, upstreamCounts } from "./sandbox-process.ts";
import { type RunningSystem, type SystemOptions, startSystem } from "./service-process.ts";
import {
  apiKeys,
  isSingle,
  type RequestPlan,
  requestPlan,
  type ScenarioName,
  type SystemName,
  scenarios,
} from "./workload.ts";

export const SYSTEMS: readonly SystemName[] = ["proxy", "taskbridge"];

/**
 * The order of the two systems in a repeat: proxy first in even repeats, Taskbridge first in odd ones. The
 * machine's speed drifts over minutes; always measuring one system second would hand it the drift of every pair.
 */
export function pairOrder(repeat: number): readonly SystemName[] {
  return repeat % 2 === 0 ? SYSTEMS : [...SYSTEMS].reverse();
}

export interface SaturationRun extends SaturationResult {
  system: SystemName;
  scenario: ScenarioName;
  repeat: number;
  /** Cores used during the run by each process. */
  cpu: Cores;
  /** Upstream requests seen by the sandbox per completed query (requests in flight at the end included). */
  upstreamPerQuery: number;
}

export interface LatencyRun extends FixedRateResult {
  system: SystemName;
  scenario: ScenarioName;
  repeat: number;
  cpu: Cores;
}

export interface BurstRun extends BurstResult {
  system: SystemName;
  scenario: ScenarioName;
  repeat: number;
}

/** Cores used during a run by the system under test, the sandbox, the load generator and everything else. */
export interface Cores {
  system: number;
  sandbox: number;
  load: number;
  others: number;
}

export interface SweepPoint {
  connections: number;
  rps: number;
  proxyCores: number;
}

export interface SoakResult {
  seconds: number;
  rate: number;
  checkpointS: number;
  rssAtCheckpoint: number;
  rssAtEnd: number;
  peakRss: number;
  samples: { atS: number; rss: number }[];
  good: number;
  bad: number;
}

export interface RawResults {
  startedAt: string;
  finishedAt: string;
  options: Omit<BenchOptions, "resultsDir">;
  machine: MachineInfo;
  /** Saturation concurrency actually used, and how it was chosen. */
  connections: number;
  sweep: SweepPoint[];
  probes: Record<ScenarioName, Record<SystemName, UpstreamProbe>>;
  saturation: SaturationRun[];
  latency: LatencyRun[];
  burst: BurstRun[];
  peakRss: Record<SystemName | "sandbox", number>;
  soak: SoakResult | undefined;
}

type Log = (line: string) => void;

/** The whole benchmark: sandbox, both systems, probes, warm-up, sweep, saturation, fixed rate, bursts, soak. */
export async function runBench(options: BenchOptions, log: Log = () => {}): Promise<RawResults> {
  const startedAt = new Date().toISOString();
  const machine = await describeMachine();
  log(`machine: ${machine.cpus} cores, load ${machine.loadavg.join(" ")}; busy: ${busyText(machine)}`);
  const sandbox = await startSandboxProcess(options.delayMs);
  const keys = apiKeys(options.keys);
  const systemOptions: SystemOptions = {
    sandbox: sandbox.ready,
    apiKeys: keys,
    upstreamConnections: options.upstreamConnections,
    resultsDir: options.resultsDir,
    cpuProf: options.cpuProf,
    logLevel: options.logLevel,
    nodeFlags: options.nodeFlags,
  };
  const running: RunningSystem[] = [];
  const loads: LoadProcess[] = [];
  const peakRss = { proxy: 0, taskbridge: 0, sandbox: 0 };
  const startSystems = async (cpuProf: boolean) => {
    for (const name of SYSTEMS)
      running.push(await startSystem(name, { ...systemOptions, cpuProf: cpuProf && name === "taskbridge" }));
  };
  const stopSystems = async () => {
    for (const s of running) peakRss[s.name] = Math.max(peakRss[s.name], memory(s.pid).peakRss);
    await Promise.all(running.splice(0).map((s) => s.stop()));
  };
  try {
    await startSystems(options.cpuProf);
    const system = (name: SystemName) => running.find((s) => s.name === name) as RunningSystem;
    const all = scenarios(options.vendors).filter((s) => !options.scenarios || options.scenarios.includes(s));
    const plans = new Map<string, RequestPlan>();
    const planFor = (name: SystemName, scenario: ScenarioName) => {
      const key = `${name} ${scenario}`;
      let plan = plans.get(key);
      if (!plan) {
        plan = requestPlan(name, scenario, sandbox.ready);
        plans.set(key, plan);
      }
      return plan;
    };
    const target = (name: SystemName, scenario: ScenarioName): LoadTarget => ({
      origin: system(name).origin,
      plan: planFor(name, scenario),
      keys,
    });
    const meter = (name: SystemName, loadPid = process.pid) => {
      const read = cpuMeter({ system: system(name).pid, sandbox: sandbox.pid, load: loadPid });
      return () => read() as unknown as Cores;
    };

    const probes = {} as RawResults["probes"];
    for (const scenario of all) {
      probes[scenario] = {} as Record<SystemName, UpstreamProbe>;
      for (const name of SYSTEMS) {
        const probe = await probeUpstream(
          system(name).origin,
          planFor(name, scenario),
          keys[0] as string,
          sandbox.ready,
        );
        if (!probe.ok)
          throw new Error(`${name} did not answer ${scenario} correctly; is it running against the sandbox?`);
        probes[scenario][name] = probe;
      }
    }
    log("probes: both systems answer every scenario");

    const warmConnections = options.connections ?? Math.max(...options.sweep);
    if (options.warmupS > 0) {
      for (const name of SYSTEMS) {
        for (const scenario of all) await saturate(target(name, scenario), warmConnections, options.warmupS);
      }
      log(`warm-up: ${options.warmupS} s per system and scenario`);
    }

    const sweep: SweepPoint[] = [];
    let connections = options.connections;
    if (connections === undefined) {
      const scenario = all[0] as ScenarioName;
      for (const c of options.sweep) {
        const cpu = meter("proxy");
        const r = await saturate(target("proxy", scenario), c, Math.min(options.durationS, 5));
        sweep.push({ connections: c, rps: r.rps, proxyCores: cpu().system });
        log(`sweep: proxy ${scenario} at ${c} connections: ${r.rps} req/s, ${sweep.at(-1)?.proxyCores} cores`);
      }
      // CPU-bound, not fastest: throughput drifts with the machine's speed between sweep points, the proxy's CPU
      // use does not (a run of 9,538 req/s at 128 connections and 5,240 in another both used ~0.9 cores).
      const busiest = Math.max(...sweep.map((p) => p.proxyCores));
      connections = (sweep.find((p) => p.proxyCores >= 0.95 * busiest) as SweepPoint).connections;
      log(`saturation concurrency: ${connections} (smallest where the proxy uses within 5% of its most cores)`);
    }

    const saturation: SaturationRun[] = [];
    for (const scenario of all) {
      for (let repeat = 0; repeat < options.repeats; repeat++) {
        for (const name of pairOrder(repeat)) {
          await clearUpstreamCounts(sandbox.ready);
          const cpu = meter(name);
          const r = await saturate(target(name, scenario), connections, options.durationS);
          const cores = cpu();
          const counts = await upstreamCounts(sandbox.ready, 0);
          const upstream = Object.values(counts).reduce((sum, v) => sum + v.total, 0);
          saturation.push({
            ...r,
            system: name,
            scenario,
            repeat,
            cpu: cores,
            upstreamPerQuery: r.completed ? upstream / r.completed : 0,
          });
          log(
            `saturation ${scenario} #${repeat + 1} ${name}: ${r.rps} req/s (${r.bad + r.errors} bad), cores ${JSON.stringify(cores)}`,
          );
        }
      }
    }

    // Latency below saturation on fresh processes: after the saturation runs both systems carry heaps sized for
    // hundreds of concurrent 50-task queries and V8's allocation decisions made under overload. Each is warmed up
    // at the fixed rate on every query (3 × warmupS: a few seconds at 1,000/s leave Taskbridge's code for the next
    // vendor cold), and each run starts after warmupS at that rate, unmeasured: the other system's run left this one
    // idle long enough for V8 to shrink its young generation, which is not how a service runs at a steady 1,000/s.
    // The load comes from a fresh process too (see load-process.ts).
    await stopSystems();
    await startSystems(false);
    const load = startLoadProcess();
    loads.push(load);
    const atFixedRate = (name: SystemName, scenario: ScenarioName, seconds: number) =>
      load.fixedRate(target(name, scenario), { rate: options.rate, connections: options.rateConnections, seconds });
    const singles = all.filter(isSingle);
    if (options.warmupS > 0 && singles.length > 0) {
      for (const name of SYSTEMS)
        for (const scenario of singles) await atFixedRate(name, scenario, 3 * options.warmupS);
      log(`latency: fresh systems, warmed up ${3 * options.warmupS} s per system and query at ${options.rate}/s`);
    }
    const latency: LatencyRun[] = [];
    for (const scenario of singles) {
      for (let repeat = 0; repeat < options.repeats; repeat++) {
        for (const name of pairOrder(repeat)) {
          if (options.warmupS > 0) await atFixedRate(name, scenario, options.warmupS);
          const cpu = meter(name, load.pid);
          const r = await atFixedRate(name, scenario, options.durationS);
          latency.push({ ...r, system: name, scenario, repeat, cpu: cpu() });
          log(
            `latency ${scenario} #${repeat + 1} ${name} at ${options.rate}/s: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms (${r.bad} bad)`,
          );
        }
      }
    }

    // Bursts on the same warm systems: the low-noise view of what the tail above is made of.
    const burst: BurstRun[] = [];
    if (options.bursts > 0) {
      for (const scenario of singles) {
        for (let repeat = 0; repeat < options.repeats; repeat++) {
          for (const name of pairOrder(repeat)) {
            const r = await load.bursts(target(name, scenario), {
              size: options.burstSize,
              count: options.bursts,
              gapMs: 40,
            });
            burst.push({ ...r, system: name, scenario, repeat });
            log(
              `burst ${scenario} #${repeat + 1} ${name}: ${r.bursts} × ${r.size} at once, last answer ${r.lastMs} ms, middle ${r.middleMs} ms (${r.bad} bad)`,
            );
          }
        }
      }
    }

    await load.stop();
    peakRss.sandbox = memory(sandbox.pid).peakRss;
    await stopSystems();

    const soak = options.soakS > 0 ? await runSoak(options, systemOptions, planFor, keys, log) : undefined;

    const { resultsDir: _dir, ...rest } = options;
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      options: rest,
      machine,
      connections,
      sweep,
      probes,
      saturation,
      latency,
      burst,
      peakRss,
      soak,
    };
  } finally {
    await Promise.all([...running, ...loads].map((p) => p.stop()));
    await sandbox.stop();
  }
}

/** A fresh Taskbridge at a fixed rate over single-task reads of every vendor; RSS sampled every second. */
async function runSoak(
  options: BenchOptions,
  systemOptions: SystemOptions,
  planFor: (name: SystemName, scenario: ScenarioName) => RequestPlan,
  keys: readonly string[],
  log: Log,
): Promise<SoakResult> {
  const taskbridge = await startSystem("taskbridge", { ...systemOptions, cpuProf: false });
  try {
    const singles = scenarios(options.vendors).filter(isSingle);
    const plans = singles.map((s) => planFor("taskbridge", s));
    const plan: RequestPlan = { ...(plans[0] as RequestPlan), bodies: interleave(plans.map((p) => p.bodies)) };
    const checkpointS = soakCheckpointS(options.soakS);
    const samples: SoakResult["samples"] = [];
    let nextSample = 1;
    let rssAtCheckpoint = Number.NaN;
    const r = await fixedRate(
      { origin: taskbridge.origin, plan, keys },
      {
        rate: options.soakRate,
        seconds: options.soakS,
        connections: options.rateConnections,
        onTick(elapsedMs) {
          const atS = elapsedMs / 1000;
          if (atS >= checkpointS && Number.isNaN(rssAtCheckpoint)) rssAtCheckpoint = memory(taskbridge.pid).rss;
          if (atS >= nextSample) {
            samples.push({ atS: Math.round(atS * 10) / 10, rss: memory(taskbridge.pid).rss });
            nextSample = Math.floor(atS) + 1;
          }
        },
      },
    );
    const end = memory(taskbridge.pid);
    log(
      `soak ${options.soakS} s at ${options.soakRate}/s: RSS ${mib(rssAtCheckpoint)} MiB at ${checkpointS} s, ${mib(end.rss)} MiB at the end`,
    );
    return {
      seconds: options.soakS,
      rate: options.soakRate,
      checkpointS,
      rssAtCheckpoint,
      rssAtEnd: end.rss,
      peakRss: end.peakRss,
      samples,
      good: r.good,
      bad: r.bad,
    };
  } finally {
    await taskbridge.stop();
  }
}

function interleave(lists: string[][]): string[] {
  const out: string[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) out.push(list[i] as string);
  return out;
}

function busyText(machine: MachineInfo): string {
  if (machine.busyProcesses.length === 0) return "none";
  return machine.busyProcesses
    .slice(0, 5)
    .map((p) => `${p.command.split(" ").slice(0, 3).join(" ")} (${p.cores} cores)`)
    .join("; ");
}
