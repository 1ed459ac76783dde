import { type BurstRun, type LatencyRun, type RawResults, type SaturationRun, SYSTEMS } from "./bench.ts";
import { alignTables } from "./markdown-table.ts";
import { median, mib, round } from "./metrics.ts";
import {
  BATCH_SIZE,
  isSingle,
  LIST_PAGE,
  type RunSystemName,
  type ScenarioName,
  type SystemName,
  type VariantName,
} from "./workload.ts";

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
  /** The issue that set it. */
  source: string;
  target: string;
  actual: string;
  met: boolean;
}

/** Taskbridge with one telemetry feature on, against Taskbridge as it is, in the same saturation repeats. */
export interface TelemetrySummary {
  system: VariantName;
  /** Median good responses per second. */
  rps: number;
  cores: number;
  /** This variant / Taskbridge as it is: the median of each repeat's ratio. */
  ratio: number;
  /** This variant / the proxy, the same way. */
  ratioToProxy: number;
}

export interface Summary {
  connections: number;
  delayMs: number;
  scenarios: ScenarioSummary[];
  batch: { refs: number; taskReads: number; lookups: number; distinctPeople: number; allowed: number };
  /** Measured on the first single-task query at saturation (issue 26); absent with `--telemetry none`. */
  telemetry?: { scenario: ScenarioName; variants: TelemetrySummary[] };
  peakRssMiB: Record<SystemName | "sandbox", number> & Partial<Record<VariantName, number>>;
  /** Answers that were not a 200 with data and no errors, over every measured run: figures count good ones only. */
  badAnswers: Record<SystemName, number> & Partial<Record<VariantName, number>>;
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

  const telemetry = raw.telemetry && summarizeTelemetry(raw, raw.telemetry.scenario, raw.telemetry.variants);
  const targets = [
    ...throughputTargets(scenarios),
    ...(telemetry ? telemetryTargets(telemetry) : []),
    ...latencyTargets(scenarios, raw.options.rate),
  ];
  if (probe) {
    targets.push({
      name: "50-task query upstream calls",
      source: "issue 7",
      target: `${BATCH_SIZE} task reads + ≤ 1 lookup per distinct person (${batch.distinctPeople})`,
      actual: `${batch.taskReads} reads + ${batch.lookups} lookups`,
      met: batch.taskReads === BATCH_SIZE && batch.lookups <= batch.distinctPeople,
    });
  }
  if (soak) {
    targets.push({
      name: `RSS after ${soak.seconds} s vs after ${soak.checkpointS} s`,
      source: "issue 7",
      target: "within 10%",
      actual: `${soak.rssAtCheckpointMiB} → ${soak.rssAtEndMiB} MiB (${signed(round(soak.growth * 100, 1))}%)`,
      met: Math.abs(soak.growth) <= 0.1,
    });
  }
  const runs = [...raw.saturation, ...raw.latency];
  const systems = [...SYSTEMS, ...(raw.telemetry?.variants ?? [])];
  const perSystem = (f: (s: RunSystemName) => number) => Object.fromEntries(systems.map((s) => [s, f(s)]));
  return {
    connections: raw.connections,
    delayMs: raw.options.delayMs,
    scenarios,
    batch,
    ...(telemetry ? { telemetry } : {}),
    badAnswers: perSystem((s) =>
      [...runs, ...raw.burst]
        .filter((r) => r.system === s)
        .reduce((sum, r) => sum + r.bad + ("errors" in r ? r.errors : 0), 0),
    ) as Summary["badAnswers"],
    othersCores: {
      median: round(median(runs.map((r) => r.cpu.others)), 2),
      max: Math.max(...runs.map((r) => r.cpu.others)),
    },
    peakRssMiB: Object.fromEntries(
      Object.entries(raw.peakRss).map(([name, bytes]) => [name, mib(bytes)]),
    ) as Summary["peakRssMiB"],
    ...(soak ? { soak } : {}),
    targets,
  };
}

function summarizeTelemetry(
  raw: RawResults,
  scenario: ScenarioName,
  variants: readonly VariantName[],
): NonNullable<Summary["telemetry"]> {
  const sat = (system: RunSystemName) => raw.saturation.filter((r) => r.system === system && r.scenario === scenario);
  const ratio = (a: RunSystemName, b: RunSystemName) =>
    round(
      pairMedian(sat(a), sat(b), (x, y) => x.rps / y.rps),
      3,
    );
  return {
    scenario,
    variants: variants.map((system) => ({
      system,
      rps: round(median(sat(system).map((r) => r.rps)), 1),
      cores: round(median(sat(system).map((r) => r.cpu.system)), 2),
      ratio: ratio(system, "taskbridge"),
      ratioToProxy: ratio(system, "proxy"),
    })),
  };
}

/** Issue 25's throughput targets (single task, 50 tasks) and issue 23's cross-vendor page. */
function throughputTargets(scenarios: readonly ScenarioSummary[]): Target[] {
  const targets: Target[] = [];
  const singles = scenarios.filter((s) => isSingle(s.scenario));
  if (singles.length > 0) {
    const worst = Math.min(...singles.map((s) => s.ratio));
    targets.push({
      name: "throughput at saturation, single task (worst vendor)",
      source: "issue 25",
      target: "≥ 0.6× proxy",
      actual: `${worst}×`,
      met: worst >= 0.6,
    });
  }
  const batch = scenarios.find((s) => s.scenario === "tasks50");
  if (batch) {
    targets.push({
      name: `throughput at saturation, ${BATCH_SIZE}-task query`,
      source: "issue 25",
      target: "≥ 0.5× proxy",
      actual: `${batch.ratio}×`,
      met: batch.ratio >= 0.5,
    });
  }
  const list = scenarios.find((s) => s.scenario === "list20");
  if (list) {
    targets.push({
      name: `throughput at saturation, cross-vendor page of ${LIST_PAGE}`,
      source: "issue 23",
      target: "≥ 0.5× proxy",
      actual: `${list.ratio}× (vendor calls per page: Taskbridge ${list.upstreamCalls.taskbridge}, proxy ${list.upstreamCalls.proxy})`,
      met: list.ratio >= 0.5,
    });
  }
  return targets;
}

/** Issue 26: what metrics and tracing may cost, against Taskbridge as it is. */
const TELEMETRY_TARGET: Record<VariantName, { name: string; min: number }> = {
  "taskbridge+metrics": { name: "throughput with metrics on", min: 0.95 },
  "taskbridge+tracing": { name: "throughput with tracing on (no-op exporter)", min: 0.85 },
};

function telemetryTargets(telemetry: NonNullable<Summary["telemetry"]>): Target[] {
  return telemetry.variants.map((v) => ({
    name: `${TELEMETRY_TARGET[v.system].name}, ${LABEL[telemetry.scenario] ?? telemetry.scenario}`,
    source: "issue 26",
    target: `≥ ${TELEMETRY_TARGET[v.system].min}× Taskbridge as it is`,
    actual: `${v.ratio}× (${v.ratioToProxy}× proxy)`,
    met: v.ratio >= TELEMETRY_TARGET[v.system].min,
  }));
}

/** Issue 7's added p50 at a fixed rate, worst vendor. Tail latency is reported, not a target (issue 25). */
function latencyTargets(scenarios: readonly ScenarioSummary[], rate: number): Target[] {
  const singles = scenarios.filter((s) => isSingle(s.scenario) && s.latency);
  if (singles.length === 0) return [];
  const worst = (f: (l: NonNullable<ScenarioSummary["latency"]>) => number) =>
    Math.max(...singles.map((s) => f(s.latency as NonNullable<ScenarioSummary["latency"]>)));
  const p50 = worst((l) => l.addedP50Ms);
  return [
    {
      name: `added p50 at ${rate}/s (worst vendor)`,
      source: "issue 7",
      target: "≤ 1 ms",
      actual: `${p50} ms`,
      met: p50 <= 1,
    },
  ];
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

const VARIANT_LABEL: Record<VariantName, string> = {
  "taskbridge+metrics": "metrics on (`TASKBRIDGE_METRICS_PORT`)",
  "taskbridge+tracing": "tracing on, no-op exporter (`OTEL_TRACES_EXPORTER=none`)",
};

/** The printed report: a markdown table of the medians, then the targets. */
export function markdown(summary: Summary, raw: RawResults): string {
  const o = raw.options;
  const lines: string[] = [];
  lines.push(
    `Taskbridge vs. the limit (hand-written proxy): ${summary.delayMs} ms upstream delay, ${o.repeats} repeats of ${o.durationS} s per system (the proxy first in even repeats, the order reversed in odd ones), medians; ratio and added latency are medians of the comparisons within each repeat.`,
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
  if (summary.telemetry) {
    const t = summary.telemetry;
    const plain = summary.scenarios.find((s) => s.scenario === t.scenario) as ScenarioSummary;
    lines.push(
      `Telemetry: ${LABEL[t.scenario] ?? t.scenario} at saturation, Taskbridge with each feature on beside Taskbridge as it is and the proxy, in the same repeats (ratios: medians of the ratios within each repeat).`,
    );
    lines.push("");
    lines.push("| Taskbridge | req/s | cores | vs Taskbridge as it is | vs proxy |");
    lines.push("|---|---:|---:|---:|---:|");
    lines.push(`| as it is | ${plain.rps.taskbridge} | ${plain.cores.taskbridge} | 1× | ${plain.ratio}× |`);
    for (const v of t.variants)
      lines.push(`| ${VARIANT_LABEL[v.system]} | ${v.rps} | ${v.cores} | ${v.ratio}× | ${v.ratioToProxy}× |`);
    lines.push("");
  }
  const bad = Object.entries(summary.badAnswers).filter(([, n]) => n > 0);
  lines.push(
    bad.length === 0
      ? "Every answer was a 200 with data and no errors."
      : `WARNING: bad answers (not 200 + data without errors): ${bad.map(([system, n]) => `${system} ${n}`).join(", ")}; throughput counts good answers only, latency counts all.`,
  );
  lines.push(
    `Other processes on the machine used ${summary.othersCores.median} cores (median of runs; max ${summary.othersCores.max}) of ${raw.machine.cpus}.`,
  );
  const rss = summary.peakRssMiB;
  const variantRss = (summary.telemetry?.variants ?? []).map((v) => `, ${v.system} ${rss[v.system]} MiB`).join("");
  lines.push(
    `Peak RSS: proxy ${rss.proxy} MiB, Taskbridge ${rss.taskbridge} MiB${variantRss} (sandbox ${rss.sandbox} MiB).`,
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
  lines.push("| target | from | wanted | measured | |");
  lines.push("|---|---|---|---|---|");
  for (const t of summary.targets)
    lines.push(`| ${t.name} | ${t.source} | ${t.target} | ${t.actual} | ${t.met ? "met" : "MISSED"} |`);
  return alignTables(lines.join("\n"));
}
