import { fileURLToPath } from "node:url";
import { type CommitInfo, describeCommit } from "./commit.ts";
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
import { checkTelemetry, type TelemetryCheck, telemetryProblem } from "./telemetry-check.ts";
import {
  apiKeys,
  isSingle,
  type RequestPlan,
  type RunSystemName,
  requestPlan,
  type ScenarioName,
  type SystemName,
  scenarios,
  type VariantName,
} from "./workload.ts";

export const SYSTEMS: readonly SystemName[] = ["proxy", "taskbridge"];

/**
 * The order of the systems in a repeat: as listed (the proxy first) in even repeats, reversed in odd ones. The
 * machine's speed drifts over minutes; always measuring one system later would hand it the drift of every repeat.
 */
export function runOrder<S extends RunSystemName>(repeat: number, systems: readonly S[]): readonly S[] {
  return repeat % 2 === 0 ? systems : [...systems].reverse();
}

export interface SaturationRun extends SaturationResult {
  system: RunSystemName;
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
  /** The code measured (undefined outside a git checkout). */
  commit: CommitInfo | undefined;
  options: Omit<BenchOptions, "resultsDir">;
  machine: MachineInfo;
  /** Saturation concurrency actually used, and how it was chosen. */
  connections: number;
  sweep: SweepPoint[];
  probes: Record<ScenarioName, Record<SystemName, UpstreamProbe>>;
  saturation: SaturationRun[];
  latency: LatencyRun[];
  burst: BurstRun[];
  /** Taskbridge with metrics or tracing on, in the saturation runs of one single-task scenario (issue 26). */
  telemetry: { scenario: ScenarioName; variants: VariantName[]; checks: TelemetryCheck[] } | undefined;
  peakRss: Record<SystemName | "sandbox", number> & Partial<Record<VariantName, number>>;
  soak: SoakResult | undefined;
}

type Log = (line: string) => void;

/** The whole benchmark: sandbox, both systems, probes, warm-up, sweep, saturation, fixed rate, bursts, soak. */
export async function runBench(options: BenchOptions, log: Log = () => {}): Promise<RawResults> {
  const startedAt = new Date().toISOString();
  const commit = describeCommit(fileURLToPath(new URL(".", import.meta.url)));
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
  const peakRss: RawResults["peakRss"] = { proxy: 0, taskbridge: 0, sandbox: 0 };
  const all = scenarios(options.vendors).filter((s) => !options.scenarios || options.scenarios.includes(s));
  // The telemetry variants join the saturation runs of the first single-task query, in the same repeats.
  const telemetryScenario = options.telemetry.length > 0 ? all.find(isSingle) : undefined;
  const variants = telemetryScenario ? options.telemetry.map((t) => `taskbridge+${t}` as const) : [];
  const systemsFor = (scenario: ScenarioName): readonly RunSystemName[] =>
    scenario === telemetryScenario ? [...SYSTEMS, ...variants] : SYSTEMS;
  const startSystems = async (names: readonly RunSystemName[], cpuProf: boolean) => {
    for (const name of names)
      running.push(await startSystem(name, { ...systemOptions, cpuProf: cpuProf && name !== "proxy" }));
  };
  // Requests each system answered under load (warm-up and saturation), to put its CPU profile per request.
  const served = new Map<RunSystemName, number>();
  const count = (name: RunSystemName, r: SaturationResult) => served.set(name, (served.get(name) ?? 0) + r.completed);
  const stopSystems = async () => {
    for (const s of running) peakRss[s.name] = Math.max(peakRss[s.name] ?? 0, memory(s.pid).peakRss);
    const stopped = running.splice(0);
    await Promise.all(stopped.map((s) => s.stop()));
    for (const { name, profile } of stopped)
      if (profile) log(`profile of ${name}: ${profile} (${served.get(name) ?? 0} requests under load)`);
  };
  try {
    await startSystems([...SYSTEMS, ...variants], options.cpuProf);
    const system = (name: RunSystemName) => running.find((s) => s.name === name) as RunningSystem;
    const plans = new Map<string, RequestPlan>();
    const planFor = (name: RunSystemName, scenario: ScenarioName) => {
      const key = `${name === "proxy" ? name : "taskbridge"} ${scenario}`;
      let plan = plans.get(key);
      if (!plan) {
        plan = requestPlan(name, scenario, sandbox.ready);
        plans.set(key, plan);
      }
      return plan;
    };
    const target = (name: RunSystemName, scenario: ScenarioName): LoadTarget => ({
      origin: system(name).origin,
      plan: planFor(name, scenario),
      keys,
    });
    const meter = (name: RunSystemName, loadPid = process.pid) => {
      const read = cpuMeter({ system: system(name).pid, sandbox: sandbox.pid, load: loadPid });
      return () => read() as unknown as Cores;
    };

    const probe = async (name: RunSystemName, scenario: ScenarioName) => {
      const result = await probeUpstream(
        system(name).origin,
        planFor(name, scenario),
        keys[0] as string,
        sandbox.ready,
      );
      if (!result.ok)
        throw new Error(`${name} did not answer ${scenario} correctly; is it running against the sandbox?`);
      return result;
    };
    const probes = {} as RawResults["probes"];
    for (const scenario of all) {
      probes[scenario] = {} as Record<SystemName, UpstreamProbe>;
      for (const name of SYSTEMS) probes[scenario][name] = await probe(name, scenario);
    }
    log("probes: both systems answer every scenario");

    let telemetry: RawResults["telemetry"];
    if (telemetryScenario) {
      const checks: TelemetryCheck[] = [];
      for (const name of ["taskbridge", ...variants] as const) {
        const check = await checkTelemetry(
          name,
          name === "taskbridge" ? probes[telemetryScenario].taskbridge : await probe(name, telemetryScenario),
          system(name).metricsOrigin,
        );
        const problem = telemetryProblem(check);
        if (problem) throw new Error(problem);
        checks.push(check);
      }
      telemetry = { scenario: telemetryScenario, variants, checks };
      const shown = checks.map(
        (c) =>
          `${c.system} ${c.tracedCalls}/${c.vendorCalls} vendor calls traced, ${c.metricSeries} taskbridge_* series`,
      );
      log(`telemetry on ${telemetryScenario}: ${shown.join("; ")}`);
    } else if (options.telemetry.length > 0) {
      log("telemetry: not measured (no single-task query in this run)");
    }

    const warmConnections = options.connections ?? Math.max(...options.sweep);
    if (options.warmupS > 0) {
      for (const name of [...SYSTEMS, ...variants]) {
        for (const scenario of all)
          if (systemsFor(scenario).includes(name))
            count(name, await saturate(target(name, scenario), warmConnections, options.warmupS));
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
      // CPU-bound, not fastest: throughput drifts with the machine's speed between sweep points, CPU use does not.
      const busiest = Math.max(...sweep.map((p) => p.proxyCores));
      connections = (sweep.find((p) => p.proxyCores >= 0.95 * busiest) as SweepPoint).connections;
      log(`saturation concurrency: ${connections} (smallest where the proxy uses within 5% of its most cores)`);
    }

    const saturation: SaturationRun[] = [];
    for (const scenario of all) {
      for (let repeat = 0; repeat < options.repeats; repeat++) {
        for (const name of runOrder(repeat, systemsFor(scenario))) {
          await clearUpstreamCounts(sandbox.ready);
          const cpu = meter(name);
          const r = await saturate(target(name, scenario), connections, options.durationS);
          const cores = cpu();
          count(name, r);
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

    // Latency on fresh processes, warmed up at the fixed rate: heaps sized under overload, or shrunk while the other
    // system ran, are not how a service runs at a steady rate. The load comes from a fresh process too.
    await stopSystems();
    await startSystems(SYSTEMS, false);
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
        for (const name of runOrder(repeat, SYSTEMS)) {
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
          for (const name of runOrder(repeat, SYSTEMS)) {
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
      commit,
      options: rest,
      machine,
      connections,
      sweep,
      probes,
      saturation,
      latency,
      burst,
      telemetry,
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
  planFor: (name: RunSystemName, scenario: ScenarioName) => RequestPlan,
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
    .map((p) => `${p.command} (${p.cores} cores)`)
    .join("; ");
}
