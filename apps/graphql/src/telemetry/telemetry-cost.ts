/**
 * `node src/telemetry/telemetry-cost.ts [--rounds N]`: the CPU time metrics and tracing add to a request, to a
 * fraction of a microsecond, where the throughput bench cannot resolve a few percent on a shared machine. Each round
 * runs every variant in a fresh process (collectDefaultMetrics' observers and the OpenTelemetry SDK are process-wide),
 * with the Node flags of the service's `start` script (the young generation's size sets how often it scavenges), in
 * CPU time rather than wall time, over blocks of requests long enough to hold many scavenges: what a variant allocates
 * is part of its cost.
 *
 * - off: an operation through the service's envelop plugins, with no telemetry;
 * - plugin: the same with envelop's Prometheus plugin as the service configures it;
 * - on: the plugin and what a single-task request records besides: its vendor call (through the real observer),
 *   the operation counter and the HTTP histogram (as the adapter's close listener records it);
 * - tracing: no metrics; the SDK as the service starts it with `OTEL_TRACES_EXPORTER=none`, the request's span (the
 *   adapter's own `traced`), envelop's OpenTelemetry plugin, and the vendor call's span with its attributes and the
 *   `traceparent` it adds to the vendor request's headers (through the real observer).
 *
 * The operation is a cached document that calls no vendor: HTTP, vendor I/O and resolvers cost the same either way.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants, PerformanceObserver } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { DocumentNode } from "graphql";
import { createYoga } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import pino from "pino";
import { DEFAULT_LIMITS, envelopPlugins } from "../app.ts";
import { readEnv } from "../env.ts";
import { runOperation } from "../pipeline.ts";
import { schema } from "../schema.ts";
import { Metrics } from "./metrics.ts";
import { startTracingSdk } from "./sdk.ts";
import { requestTracing } from "./tracing.ts";
import { vendorCallInstrumentation } from "./vendor-calls.ts";

const VARIANTS = ["off", "plugin", "on", "tracing"] as const;
type Variant = (typeof VARIANTS)[number];
/** Requests per timed block (a few dozen scavenges); the first blocks warm up (graphql-jit compiles after 100 runs). */
const BLOCK = 50_000;
const WARMUP_BLOCKS = 2;
const BLOCKS = 6;

interface Measurement {
  variant: Variant;
  nsPerRequest: number;
  /** Scavenges (young-generation collections) per 10,000 requests, over the timed blocks. */
  scavengesPer10k: number;
}

const { values } = parseArgs({ options: { rounds: { type: "string" }, variant: { type: "string" } } });
if (values.variant) {
  console.log(JSON.stringify(await measure(values.variant as Variant)));
} else {
  const rounds = Number(values.rounds ?? 3);
  const nodeFlags = startFlags();
  const runs: Record<Variant, Measurement[]> = { off: [], plugin: [], on: [], tracing: [] };
  for (let round = 0; round < rounds; round++) {
    for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const args = [...nodeFlags, import.meta.filename, "--variant", variant];
      runs[variant].push(JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const ns = (variant: Variant) => runs[variant].map((run) => run.nsPerRequest);
  /** Median of the differences within each round, as the bench compares systems. */
  const added = (variant: Variant) => median(ns(variant).map((n, i) => n - (ns("off")[i] ?? Number.NaN)));
  console.log(`Node flags: ${nodeFlags.join(" ") || "none"}`);
  console.log(
    "| variant | CPU per request (median) | added to off (median within rounds) | scavenges per 10k | runs |",
  );
  console.log("|---|---:|---:|---:|---|");
  for (const variant of VARIANTS) {
    const us = (n: number) => `${(n / 1000).toFixed(2)} µs`;
    const each = ns(variant)
      .map((n) => (n / 1000).toFixed(2))
      .join(", ");
    const scavenges = median(runs[variant].map((run) => run.scavengesPer10k)).toFixed(1);
    console.log(`| ${variant} | ${us(median(ns(variant)))} | ${us(added(variant))} | ${scavenges} | ${each} |`);
  }
}

/** The Node flags of the service's production `start` script, so that each variant collects garbage as it does. */
function startFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(manifest.scripts.start)
    .split(/\s+/)
    .filter((word) => word.startsWith("--"));
}

async function measure(variant: Variant): Promise<Measurement> {
  const metrics = variant === "on" || variant === "plugin" ? new Metrics() : undefined;
  // As main.ts starts the SDK when OTEL_TRACES_EXPORTER=none.
  const sdkOptions = variant === "tracing" ? readEnv({ OTEL_TRACES_EXPORTER: "none" }).tracing : undefined;
  const sdk = sdkOptions ? startTracingSdk(sdkOptions) : undefined;
  const tracing = sdk ? requestTracing(sdk.provider) : undefined;
  const logger = pino({ level: "silent" });
  const plugins = envelopPlugins({ introspection: false, metrics, logger }, DEFAULT_LIMITS, tracing?.plugin);
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
  const callsVendor = variant === "on" || variant === "tracing";
  const instrument = callsVendor
    ? vendorCallInstrumentation("bench", "maxai", { metrics, tracer: tracing?.tracer })
    : undefined;
  // What the adapter's span reads of the exchange: the method, the headers (for a caller's traceparent), the status.
  const req = {
    method: "POST",
    headers: {
      host: "127.0.0.1:4000",
      authorization: "Bearer tb_bench",
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      "content-length": "64",
    },
  };
  const res = { statusCode: 200 };
  const vendorRequest = { accept: "application/json", authorization: "Bearer vendor" };
  let vendorHeaders: Record<string, string> | undefined;

  async function operation(i: number): Promise<void> {
    const outcome = await runOperation(getEnveloped, params, "POST", {});
    // The single task's vendor call, as the client and its policies report it.
    const call = instrument?.({ vendor: "maxai", operation: "getTask", method: "GET" });
    if (call?.headers) vendorHeaders = { ...vendorRequest, ...call.headers };
    call?.breaker?.("closed");
    call?.budget?.(900);
    call?.attempt?.();
    call?.end({ status: 200, error: undefined });
    if (!metrics || variant !== "on") return;
    metrics.operation(outcome.operationName, []);
    metrics.httpRequests.observe({ method: "POST", route: "/graphql", status: 200 }, (i % 7) / 5000);
  }
  const request = tracing
    ? (i: number) => tracing.traced(req, res, { requestId: `r${i}` }, () => operation(i))
    : operation;

  const scavenges: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(entry.startTime);
    }
  });
  gc.observe({ entryTypes: ["gc"] });
  const blocks: number[] = [];
  let timedFrom = 0;
  let timedTo = 0;
  for (let b = 0; b < WARMUP_BLOCKS + BLOCKS; b++) {
    if (b === WARMUP_BLOCKS) timedFrom = performance.now();
    const start = process.cpuUsage();
    for (let i = 0; i < BLOCK; i++) {
      await request(i);
      // The event loop turns between requests, as in the service, whose requests wait for I/O: the span processor
      // exports on those turns (without them its queue fills and it drops spans instead).
      await nextTurn();
    }
    const used = process.cpuUsage(start);
    if (b >= WARMUP_BLOCKS) blocks.push(((used.user + used.system) * 1000) / BLOCK);
    timedTo = performance.now();
  }
  await nextTurn();
  gc.disconnect();
  await sdk?.shutdown();
  if (callsVendor && tracing && !vendorHeaders?.traceparent) throw new Error("the vendor call sent no traceparent");
  blocks.sort((a, b) => a - b);
  const timedScavenges = scavenges.filter((at) => at >= timedFrom && at <= timedTo).length;
  return {
    variant,
    nsPerRequest: Math.round(blocks[blocks.length >> 1] ?? Number.NaN),
    scavengesPer10k: (timedScavenges * 10_000) / (BLOCK * BLOCKS),
  };
}
