import { type BurstRun, type LatencyRun, type RawResults, type SaturationRun, SYSTEMS } from "./bench.ts";
import { median, mib, round } from "./metrics.ts";
import { BATCH_SIZE, isSingle, LIST_PAGE, type ScenarioName, type SystemName } from "./workload.ts";

export interface ScenarioSummary {
  scenario: ScenarioName;
  /** Median good responses per second at saturation. */
  rps: Record<SystemName, number>;
  /** Taskbridge / proxy: the median over repeats of each repeat's ratio (see pairMedian). */
  ratio: number;
  /** Median cores used at saturation by the system under test. */
  cores: Record<SystemName, number>;
  /** Exact upstream requests for one query, sent alone. */
  upstreamCalls: Record<SystemName, number>;
  /** Median cores used by other processes on the machine during this query's runs (noise). */
  othersCores: number;
  /** Fixed-rate latency, ms: medians over repeats; added = median of each repeat's difference. Absent for 50 tasks. */
  latency?: {
    rate: number;
    p50Ms: Record<SystemName, number>;
    p99Ms: Record<SystemName, number>;
    addedP50Ms: number;
    addedP99Ms: number;
  };
  /** Bursts of `size` requests at once, ms: medians over repeats; added = median of each repeat's difference. */
  burst?: {
    size: number;
    lastMs: Record<SystemName, number>;
    middleMs: Record<SystemName, number>;
    addedLastMs: number;
    addedMiddleMs: number;
  };
}

export interface Target {
  name: string;
  target: string;
  actual: string;
  pass: boolean;
}

export interface Summary {
  connections: number;
  delayMs: number;
  scenarios: ScenarioSummary[];
  batch: { refs: number; taskReads: number; lookups: number; distinctPeople: number; allowed: number };
  peakRssMiB: Record<SystemName | "sandbox", number>;
  /** Answers that were not a 200 with data and no errors, over every measured run: figures count good ones only. */
  badAnswers: Record<SystemName, number>;
  /** Cores other processes used during the measured runs: how quiet the machine was. */
  othersCores: { median: number; max: number };
  soak?: {
    seconds: number;
    rate: number;
    checkpointS: number;
    rssAtCheckpointMiB: number;
    rssAtEndMiB: number;
    growth: number;
  };
  targets: Target[];
}

export function summarize(raw: RawResults): Summary {
  const scenarioNames = Object.keys(raw.probes) as ScenarioName[];
  const scenarios = scenarioNames.map((scenario): ScenarioSummary => {
    const sat = (system: SystemName) => raw.saturation.filter((r) => r.system === system && r.scenario === scenario);
    const lat = (system: SystemName) => raw.latency.filter((r) => r.system === system && r.scenario === scenario);
    const satPairs = (compare: (t: SaturationRun, p: SaturationRun) => number) =>
      pairMedian(sat("taskbridge"), sat("proxy"), compare);
    const latPairs = (compare: (t: LatencyRun, p: LatencyRun) => number) =>
      pairMedian(lat("taskbridge"), lat("proxy"), compare);
    const bursts = (system: SystemName) => raw.burst.filter((r) => r.system === system && r.scenario === scenario);
    const burstPairs = (compare: (t: BurstRun, p: BurstRun) => number) =>
      round(pairMedian(bursts("taskbridge"), bursts("proxy"), compare), 3);
    const per = <T>(f: (s: SystemName) => T) =>
      Object.fromEntries(SYSTEMS.map((s) => [s, f(s)])) as Record<SystemName, T>;
    const summary: ScenarioSummary = {
      scenario,
      rps: per((s) => round(median(sat(s).map((r) => r.rps)), 1)),
      ratio: round(
        satPairs((t, p) => t.rps / p.rps),
        3,
      ),
      cores: per((s) => round(median(sat(s).map((r) => r.cpu.system)), 2)),
      upstreamCalls: per((s) => raw.probes[scenario][s].calls),
      othersCores: round(
        median([...raw.saturation, ...raw.latency].filter((r) => r.scenario === scenario).map((r) => r.cpu.others)),
        2,
      ),
    };
    if (lat("proxy").length > 0) {
      const p50Ms = per((s) => round(median(lat(s).map((r) => r.p50Ms)), 3));
      const p99Ms = per((s) => round(median(lat(s).map((r) => r.p99Ms)), 3));
      summary.latency = {
        rate: raw.options.rate,
        p50Ms,
        p99Ms,
        addedP50Ms: round(
          latPairs((t, p) => t.p50Ms - p.p50Ms),
          3,
        ),
        addedP99Ms: round(
          latPairs((t, p) => t.p99Ms - p.p99Ms),
          3,
        ),
      };
    }
    if (bursts("proxy").length > 0) {
      summary.burst = {
        size: raw.options.burstSize,
        lastMs: per((s) => round(median(bursts(s).map((r) => r.lastMs)), 3)),
        middleMs: per((s) => round(median(bursts(s).map((r) => r.middleMs)), 3)),
        addedLastMs: burstPairs((t, p) => t.lastMs - p.lastMs),
        addedMiddleMs: burstPairs((t, p) => t.middleMs - p.middleMs),
      };
    }
    return summary;
  });

  const probe = raw.probes.tasks50?.taskbridge;
  const batch = {
    refs: BATCH_SIZE,
    taskReads: probe?.taskReads ?? Number.NaN,
    lookups: probe?.lookups ?? Number.NaN,
    distinctPeople: probe?.distinctPeople ?? Number.NaN,
    allowed: BATCH_SIZE + (probe?.distinctPeople ?? 0),
  };
  const soak = raw.soak && {
    seconds: raw.soak.seconds,
    rate: raw.soak.rate,
    checkpointS: raw.soak.checkpointS,
    rssAtCheckpointMiB: mib(raw.soak.rssAtCheckpoint),
    rssAtEndMiB: mib(raw.soak.rssAtEnd),
    growth: round(raw.soak.rssAtEnd / raw.soak.rssAtCheckpoint - 1, 3),
  };

  const runs = [...raw.saturation, ...raw.latency];
  const singles = scenarios.filter((s) => isSingle(s.scenario));
  const worstRatio = Math.min(...singles.map((s) => s.ratio));
  const worstP50 = Math.max(...singles.map((s) => s.latency?.addedP50Ms ?? Number.NaN));
  const worstP99 = Math.max(...singles.map((s) => s.latency?.addedP99Ms ?? Number.NaN));
  const targets: Target[] = [];
  if (singles.length > 0) {
    targets.push(
      {
        name: "throughput at saturation, single task (worst vendor)",
        target: "≥ 0.5× proxy",
        actual: `${worstRatio}×`,
        pass: worstRatio >= 0.5,
      },
      {
        name: `added p50 at ${raw.options.rate}/s (worst vendor)`,
        target: "≤ 1 ms",
        actual: `${worstP50} ms`,
        pass: worstP50 <= 1,
      },
      {
        name: `added p99 at ${raw.options.rate}/s (worst vendor)`,
        target: "≤ 3 ms",
        actual: `${worstP99} ms`,
        pass: worstP99 <= 3,
      },
    );
  }
  if (probe) {
    targets.push({
      name: "50-task query upstream calls",
      target: `${BATCH_SIZE} task reads + ≤ 1 lookup per distinct person (${batch.distinctPeople})`,
      actual: `${batch.taskReads} reads + ${batch.lookups} lookups`,
      pass: batch.taskReads === BATCH_SIZE && batch.lookups <= batch.distinctPeople,
    });
  }
  const list = scenarios.find((s) => s.scenario === "list20");
  if (list) {
    targets.push({
      name: `cross-vendor page of ${LIST_PAGE} (four vendors), throughput at saturation`,
      target: "≥ 0.5× proxy",
      actual: `${list.ratio}× (vendor calls per page: Taskbridge ${list.upstreamCalls.taskbridge}, proxy ${list.upstreamCalls.proxy})`,
      pass: list.ratio >= 0.5,
    });
  }
  if (soak) {
    targets.push({
      name: `RSS after ${soak.seconds} s vs after ${soak.checkpointS} s`,
      target: "within 10%",
      actual: `${soak.rssAtCheckpointMiB} → ${soak.rssAtEndMiB} MiB (${signed(round(soak.growth * 100, 1))}%)`,
      pass: Math.abs(soak.growth) <= 0.1,
    });
  }
  return {
    connections: raw.connections,
    delayMs: raw.options.delayMs,
    scenarios,
    batch,
    badAnswers: Object.fromEntries(
      SYSTEMS.map((s) => [
        s,
        [...runs, ...raw.burst]
          .filter((r) => r.system === s)
          .reduce((sum, r) => sum + r.bad + ("errors" in r ? r.errors : 0), 0),
      ]),
    ) as Record<SystemName, number>,
    othersCores: {
      median: round(median(runs.map((r) => r.cpu.others)), 2),
      max: Math.max(...runs.map((r) => r.cpu.others)),
    },
    peakRssMiB: {
      proxy: mib(raw.peakRss.proxy),
      taskbridge: mib(raw.peakRss.taskbridge),
      sandbox: mib(raw.peakRss.sandbox),
    },
    ...(soak ? { soak } : {}),
    targets,
  };
}

/**
 * The median over repeats of a comparison of the two systems' runs in the same repeat. The machine's speed drifts
 * by tens of percent over minutes; the two runs of a repeat are back to back, so comparing within each repeat
 * keeps the drift between repeats out of the comparison (a ratio of medians can pair a fast proxy repeat with a
 * slow Taskbridge one).
 */
function pairMedian<R extends { repeat: number }>(
  taskbridge: readonly R[],
  proxy: readonly R[],
  compare: (taskbridge: R, proxy: R) => number,
): number {
  const byRepeat = new Map(proxy.map((r) => [r.repeat, r]));
  const values: number[] = [];
  for (const t of taskbridge) {
    const p = byRepeat.get(t.repeat);
    if (p) values.push(compare(t, p));
  }
  return median(values);
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

const LABEL: Record<string, string> = {
  "task:maxai": "task (Max AI)",
  "task:cakewalk": "task (Cakewalk)",
  "task:capy": "task (Capy)",
  "task:maxsight": "task (Maxsight)",
  tasks50: `tasks (${BATCH_SIZE} refs, assignedProviders)`,
  list20: `taskList (first: ${LIST_PAGE}, four vendors)`,
};

/** The printed report: a markdown table of the medians, then the targets. */
export function markdown(summary: Summary, raw: RawResults): string {
  const o = raw.options;
  const lines: string[] = [];
  lines.push(
    `Taskbridge vs. the limit (hand-written proxy): ${summary.delayMs} ms upstream delay, ${o.repeats} repeats of ${o.durationS} s per system (proxy first in even repeats, Taskbridge first in odd ones), medians; ratio and added latency are medians of the comparisons within each repeat.`,
  );
  lines.push(
    `Saturation: ${summary.connections} connections (closed loop, ${o.keys} distinct API keys). Latency: open loop at ${o.rate} req/s over ${o.rateConnections} connections, measured from each request's due time. Upstream pools: ${o.upstreamConnections} connections per vendor, both systems.`,
  );
  lines.push("");
  lines.push(
    "| query | proxy req/s | Taskbridge req/s | ratio | proxy p50 / p99 ms | Taskbridge p50 / p99 ms | added p50 / p99 ms | upstream calls/query (proxy / Taskbridge) | cores at saturation (proxy / Taskbridge) | other processes (cores) |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of summary.scenarios) {
    const l = s.latency;
    lines.push(
      `| ${LABEL[s.scenario] ?? s.scenario} | ${s.rps.proxy} | ${s.rps.taskbridge} | ${s.ratio}× | ${l ? `${l.p50Ms.proxy} / ${l.p99Ms.proxy}` : "–"} | ${l ? `${l.p50Ms.taskbridge} / ${l.p99Ms.taskbridge}` : "–"} | ${l ? `${signed(l.addedP50Ms)} / ${signed(l.addedP99Ms)}` : "–"} | ${s.upstreamCalls.proxy} / ${s.upstreamCalls.taskbridge} | ${s.cores.proxy} / ${s.cores.taskbridge} | ${s.othersCores} |`,
    );
  }
  lines.push("");
  const withBursts = summary.scenarios.filter((s) => s.burst);
  if (withBursts.length > 0) {
    lines.push(
      `Bursts: ${o.burstSize} requests at once, ${o.bursts} bursts per run (medians): how much later Taskbridge answers the last and the middle request of a burst — the tail's mechanism (requests held up by a pause arrive together) without waiting for the machine's pauses.`,
    );
    lines.push("");
    lines.push("| query | proxy last / middle ms | Taskbridge last / middle ms | added last / middle ms |");
    lines.push("|---|---:|---:|---:|");
    for (const s of withBursts) {
      const b = s.burst as NonNullable<ScenarioSummary["burst"]>;
      lines.push(
        `| ${LABEL[s.scenario] ?? s.scenario} | ${b.lastMs.proxy} / ${b.middleMs.proxy} | ${b.lastMs.taskbridge} / ${b.middleMs.taskbridge} | ${signed(b.addedLastMs)} / ${signed(b.addedMiddleMs)} |`,
      );
    }
    lines.push("");
  }
  const bad = summary.badAnswers;
  lines.push(
    bad.proxy + bad.taskbridge === 0
      ? "Every answer was a 200 with data and no errors."
      : `WARNING: bad answers (not 200 + data without errors): proxy ${bad.proxy}, Taskbridge ${bad.taskbridge}; throughput counts good answers only, latency counts all.`,
  );
  lines.push(
    `Other processes on the machine used ${summary.othersCores.median} cores (median of runs; max ${summary.othersCores.max}) of ${raw.machine.cpus}.`,
  );
  lines.push(
    `Peak RSS: proxy ${summary.peakRssMiB.proxy} MiB, Taskbridge ${summary.peakRssMiB.taskbridge} MiB (sandbox ${summary.peakRssMiB.sandbox} MiB).`,
  );
  const b = summary.batch;
  if (raw.probes.tasks50) {
    lines.push(
      `50-task query (Taskbridge, sent alone): ${b.taskReads} task reads + ${b.lookups} person lookups for ${b.distinctPeople} distinct people (allowed: ${b.allowed}).`,
    );
  }
  const list = summary.scenarios.find((s) => s.scenario === "list20");
  if (list) {
    lines.push(
      `Cross-vendor page of ${LIST_PAGE} (sent alone): ${list.upstreamCalls.taskbridge} vendor calls per page for Taskbridge, ${list.upstreamCalls.proxy} for the proxy (one listing call per vendor, plus Capy's read of each task it lists).`,
    );
  }
  if (summary.soak) {
    const s = summary.soak;
    lines.push(
      `Soak: Taskbridge ${s.seconds} s at ${s.rate} req/s: RSS ${s.rssAtCheckpointMiB} MiB at ${s.checkpointS} s, ${s.rssAtEndMiB} MiB at the end (${signed(round(s.growth * 100, 1))}%).`,
    );
  }
  if (raw.sweep.length > 0) {
    lines.push(
      `Concurrency sweep (proxy, ${raw.probes ? Object.keys(raw.probes)[0] : ""}): ${raw.sweep.map((p) => `${p.connections} → ${p.rps} req/s (${p.proxyCores} cores)`).join(", ")}.`,
    );
  }
  lines.push("");
  lines.push("| target | wanted | measured | |");
  lines.push("|---|---|---|---|");
  for (const t of summary.targets)
    lines.push(`| ${t.name} | ${t.target} | ${t.actual} | ${t.pass ? "pass" : "FAIL"} |`);
  return lines.join("\n");
}
