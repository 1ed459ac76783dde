import { parseArgs } from "node:util";
import type { Vendor } from "@taskbridge/sandbox";
import { type BenchOptions, DEFAULTS, QUICK } from "./options.ts";
import { type ScenarioName, scenarios, TELEMETRY, type Telemetry, VENDORS } from "./workload.ts";

export const USAGE = `Usage: npm run bench -- [options]   (with pnpm: pnpm --filter @taskbridge/bench bench [options])
  --duration S        seconds of each measured run (default ${DEFAULTS.durationS})
  --warmup S          seconds of warm-up per system and query (default ${DEFAULTS.warmupS})
  --repeats N         repeats, the systems' order reversed in odd ones, medians reported (default ${DEFAULTS.repeats})
  --connections N     concurrency at saturation (default: a sweep over ${DEFAULTS.sweep.join(", ")} on the proxy)
  --delay MS          fixed upstream delay of the sandbox (default ${DEFAULTS.delayMs})
  --rate N            fixed request rate of the latency runs (default ${DEFAULTS.rate})
  --bursts N          bursts per system, query and repeat, 0 to skip (default ${DEFAULTS.bursts})
  --burst-size N      requests sent at once in a burst (default ${DEFAULTS.burstSize})
  --upstream-connections N  connection cap of each vendor pool, both systems (default ${DEFAULTS.upstreamConnections})
  --soak S            Taskbridge memory soak at a fixed rate, 0 to skip (default ${DEFAULTS.soakS})
  --vendors a,b       single-task queries to run (default ${VENDORS.join(",")})
  --scenarios a,b     only these queries: task:<vendor>, tasks50, list20 (default: all of them)
  --telemetry a,b     Taskbridge with metrics and/or tracing on, beside it at saturation on the first
                      single-task query, or none (default ${TELEMETRY.join(",")})
  --log-level L       Taskbridge LOG_LEVEL (default ${DEFAULTS.logLevel})
  --node-flags="F …"  V8 flags of every system (default "${DEFAULTS.nodeFlags.join(" ")}"; see README)
  --cpu-prof          write a .cpuprofile of each Taskbridge system to results/profiles
  --quick             smoke run of every step in seconds (figures are meaningless)
  --out FILE          write the JSON there only (a relative path is from the current directory, which
                      pnpm --filter sets to apps/bench)
                      A run with none of --out, --quick, --cpu-prof is recorded: its JSON goes to
                      results/<UTC date-time>-<commit>.json and results/latest.json, and README.md's
                      "Latest result" is rendered from it; --quick and --cpu-prof write latest.json only
  --readme            only render README.md's "Latest result" from the newest run in results/`;

export interface Cli {
  options: Omit<BenchOptions, "resultsDir">;
  out: string | undefined;
  readme: boolean;
  help: boolean;
}

export function parseCli(args: readonly string[]): Cli {
  const { values } = parseArgs({
    args: [...args],
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      repeats: { type: "string" },
      connections: { type: "string" },
      delay: { type: "string" },
      rate: { type: "string" },
      bursts: { type: "string" },
      "burst-size": { type: "string" },
      "upstream-connections": { type: "string" },
      soak: { type: "string" },
      vendors: { type: "string" },
      scenarios: { type: "string" },
      telemetry: { type: "string" },
      "log-level": { type: "string" },
      "node-flags": { type: "string" },
      "cpu-prof": { type: "boolean" },
      quick: { type: "boolean" },
      out: { type: "string" },
      readme: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const base = { ...DEFAULTS, ...(values.quick ? QUICK : {}) };
  const num = (name: string, text: string | undefined, fallback: number, min = 0): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}\n${USAGE}`);
    return n;
  };
  const vendors = values.vendors?.split(",").map((v) => v.trim()) ?? base.vendors;
  for (const v of vendors) if (!VENDORS.includes(v as Vendor)) throw new Error(`unknown vendor ${v}\n${USAGE}`);
  const known = scenarios(vendors as Vendor[]);
  const only = values.scenarios?.split(",").map((s) => s.trim()) as ScenarioName[] | undefined;
  for (const s of only ?? []) if (!known.includes(s)) throw new Error(`unknown scenario ${s}\n${USAGE}`);
  const telemetry =
    values.telemetry === "none" ? [] : (values.telemetry?.split(",").map((t) => t.trim()) ?? base.telemetry);
  for (const t of telemetry)
    if (!TELEMETRY.includes(t as Telemetry)) throw new Error(`unknown telemetry ${t}\n${USAGE}`);
  return {
    options: {
      ...base,
      durationS: num("duration", values.duration, base.durationS, 1),
      warmupS: num("warmup", values.warmup, base.warmupS),
      repeats: num("repeats", values.repeats, base.repeats, 1),
      connections: values.connections === undefined ? base.connections : num("connections", values.connections, 0, 1),
      delayMs: num("delay", values.delay, base.delayMs),
      rate: num("rate", values.rate, base.rate, 1),
      bursts: num("bursts", values.bursts, base.bursts),
      burstSize: num("burst-size", values["burst-size"], base.burstSize, 1),
      upstreamConnections: num("upstream-connections", values["upstream-connections"], base.upstreamConnections, 1),
      soakS: num("soak", values.soak, base.soakS),
      vendors: vendors as Vendor[],
      scenarios: only,
      telemetry: telemetry as Telemetry[],
      logLevel: values["log-level"] ?? base.logLevel,
      nodeFlags: values["node-flags"]?.split(" ").filter(Boolean) ?? base.nodeFlags,
      cpuProf: values["cpu-prof"] ?? false,
    },
    out: values.out,
    readme: values.readme ?? false,
    help: values.help ?? false,
  };
}
