/**
 * `node src/telemetry/metrics-cost.ts [--rounds N]`: the CPU time metrics add to a request, to a fraction of a
 * microsecond, where the throughput bench cannot resolve a few percent on a shared machine. Each round runs every
 * variant in a fresh process (collectDefaultMetrics' observers are process-wide), in CPU time rather than wall time:
 *
 * - off: an operation through the service's envelop plugins, with no metrics;
 * - plugin: the same with envelop's Prometheus plugin as the service configures it;
 * - on: the plugin and what a single-task request records besides: its vendor call (through the real observer),
 *   the operation counter and the HTTP histogram (as the adapter's close listener records it).
 *
 * The operation is a cached document that calls no vendor: HTTP, vendor I/O and resolvers cost the same either way.
 */
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { DocumentNode } from "graphql";
import { createYoga } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import pino from "pino";
import { DEFAULT_LIMITS, envelopPlugins } from "../app.ts";
import { runOperation } from "../pipeline.ts";
import { schema } from "../schema.ts";
import { Metrics } from "./metrics.ts";
import { vendorCallInstrumentation } from "./vendor-calls.ts";

const VARIANTS = ["off", "plugin", "on"] as const;
type Variant = (typeof VARIANTS)[number];
/** Requests per timed block; the first blocks warm up (graphql-jit compiles after 100 runs). */
const BLOCK = 20_000;
const WARMUP_BLOCKS = 3;
const BLOCKS = 8;

const { values } = parseArgs({ options: { rounds: { type: "string" }, variant: { type: "string" } } });
if (values.variant) {
  console.log(JSON.stringify(await measure(values.variant as Variant)));
} else {
  const rounds = Number(values.rounds ?? 3);
  const runs: Record<Variant, number[]> = { off: [], plugin: [], on: [] };
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const out = execFileSync(process.execPath, [import.meta.filename, "--variant", variant], { encoding: "utf8" });
      runs[variant].push(JSON.parse(out).nsPerRequest);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  /** Median of the differences within each round, as the bench compares systems. */
  const added = (variant: Variant) => median(runs[variant].map((ns, i) => ns - (runs.off[i] ?? Number.NaN)));
  console.log("| variant | CPU per request (median) | added to off (median within rounds) | runs |");
  console.log("|---|---:|---:|---|");
  for (const variant of VARIANTS) {
    const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
    const each = runs[variant].map((ns) => (ns / 1000).toFixed(2)).join(", ");
    console.log(`| ${variant} | ${us(median(runs[variant]))} | ${us(added(variant))} | ${each} |`);
  }
}

async function measure(variant: Variant): Promise<{ variant: Variant; nsPerRequest: number }> {
  const metrics = variant === "off" ? undefined : new Metrics();
  const logger = pino({ level: "silent" });
  const plugins = envelopPlugins({ introspection: false, metrics, logger }, DEFAULT_LIMITS, undefined);
  // As createApp configures yoga.
  const yoga = createYoga({
    schema,
    plugins,
    parserAndValidationCache: {
      documentCache: new LRUCache<string, DocumentNode>({ max: 256 }),
      validationCache: false,
      errorCache: { get: () => undefined, set: () => {} },
    },
    maskedErrors: { isDev: false },
  });
  const getEnveloped = yoga.getEnveloped as unknown as Parameters<typeof runOperation>[0];
  const params = { query: "query Probe { __typename }", operationName: "Probe" };
  const recordsMore = variant === "on" && metrics !== undefined;
  const instrument = recordsMore ? vendorCallInstrumentation("bench", "maxai", { metrics }) : undefined;

  async function request(i: number): Promise<void> {
    const outcome = await runOperation(getEnveloped, params, "POST", {});
    if (!recordsMore || !instrument) return;
    const call = instrument({ vendor: "maxai", operation: "getTask", method: "GET" });
    call?.attempt?.();
    call?.budget?.(900);
    call?.end({ status: 200, error: undefined });
    metrics.operation(outcome.operationName, []);
    metrics.httpRequests.observe({ method: "POST", route: "/graphql", status: 200 }, (i % 7) / 5000);
  }

  const blocks: number[] = [];
  for (let b = 0; b < WARMUP_BLOCKS + BLOCKS; b++) {
    const start = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) await request(i);
    const used = process.cpuUsage(start);
    if (b >= WARMUP_BLOCKS) blocks.push(((used.user + used.system) * 1000) / BLOCK);
  }
  blocks.sort((a, b) => a - b);
  return { variant, nsPerRequest: Math.round(blocks[blocks.length >> 1] ?? Number.NaN) };
}
