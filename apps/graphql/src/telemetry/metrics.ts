import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCounter, createHistogram, type FillLabelsFnParams, usePrometheus } from "@envelop/prometheus";
import type { CircuitState } from "@taskbridge/http";
import type { Plugin } from "graphql-yoga";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const BREAKER_STATES = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * Distinct values kept of a label callers choose (operation names; error paths, which aliases name); later ones count
 * as "other", so the series a caller can add are bounded.
 */
const MAX_CALLER_LABELS = 200;

/**
 * The service's Prometheus metrics, in one registry: envelop's GraphQL phase metrics (the plugin), the HTTP
 * adapter's requests, operations and errors by code, and what the vendor connections and the shared store do.
 */
export class Metrics {
  readonly registry = new Registry();
  /** envelop's Prometheus plugin: operations executed, their execution time, and the errors they answered. */
  readonly plugin: Plugin;
  readonly #operationName = cappedLabel(MAX_CALLER_LABELS);
  readonly #errorPath = cappedLabel(MAX_CALLER_LABELS);

  /** Its `_count` is the requests answered: one histogram instead of a counter beside it, one update a request. */
  readonly httpRequests = new Histogram({
    name: "taskbridge_http_request_duration_seconds",
    help: "HTTP requests answered and the time from their arrival to the answer, by method, route and status.",
    labelNames: ["method", "route", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: "taskbridge_graphql_operations_total",
    help: "GraphQL operations answered, by operation name.",
    labelNames: ["operation"],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "taskbridge_graphql_errors_total",
    help: "Errors in GraphQL answers, by operation name and extensions.code.",
    labelNames: ["operation", "code"],
    registers: [this.registry],
  });
  /** Its `_count` is the calls made, by outcome (ok or the error kind). */
  readonly vendorCalls = new Histogram({
    name: "taskbridge_vendor_call_duration_seconds",
    help: "Vendor calls and their duration, retries and waits included, by vendor, client operation and outcome.",
    labelNames: ["vendor", "operation", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly vendorRetries = new Counter({
    name: "taskbridge_vendor_retries_total",
    help: "Vendor call attempts that were retried, by vendor and client operation.",
    labelNames: ["vendor", "operation"],
    registers: [this.registry],
  });
  readonly breakerState = new Gauge({
    name: "taskbridge_circuit_breaker_state",
    help: "Each vendor connection's circuit breaker: 0 closed, 1 half-open, 2 open.",
    labelNames: ["tenant", "vendor"],
    registers: [this.registry],
  });
  /** Each connection's last seen rate budget, read at scrape time rather than set on every vendor call. */
  readonly #rateBudgets = new Map<string, { tenant: string; vendor: string; remaining: () => number | undefined }>();
  readonly rateBudgetRemaining: Gauge = new Gauge({
    name: "taskbridge_rate_budget_remaining",
    help: "Requests left in a connection's rate budget window (shared by its credential), as last seen here.",
    labelNames: ["tenant", "vendor"],
    registers: [this.registry],
    collect: (): void => {
      for (const { tenant, vendor, remaining } of this.#rateBudgets.values()) {
        const left = remaining();
        if (left !== undefined) this.rateBudgetRemaining.set({ tenant, vendor }, left);
      }
    },
  });
  readonly idempotency = new Counter({
    name: "taskbridge_idempotency_outcomes_total",
    help: "Keyed writes (createTask, task actions), by how they were answered: sent, replayed, released, or refused.",
    labelNames: ["outcome"],
    registers: [this.registry],
  });
  /** Read at each scrape: whether the shared store is running on its local fallback. */
  #storeDegraded: () => boolean = () => false;
  readonly storeDegraded: Gauge = new Gauge({
    name: "taskbridge_shared_store_degraded",
    help: "1 while the shared store (Redis) is unreachable and this instance uses its local fallback.",
    registers: [this.registry],
    collect: (): void => this.storeDegraded.set(this.#storeDegraded() ? 1 : 0),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Labelled by operation type only: operation names come from callers, and only our own counters carry them,
    // capped; so are the error counter's paths, which callers name with aliases. The labels are built here rather
    // than by the plugin's generic label filter, which is slower on every request. Only execution is timed: parse
    // and validation (both cached) and context building take microseconds, which the plugin's millisecond clock
    // records as 0. The histogram's `_count` is the operations executed, so the plugin's request counter would
    // repeat it; errors of the earlier phases are in taskbridge_graphql_errors_total.
    const byType = (params: FillLabelsFnParams) => ({ operationType: params.operationType ?? "unknown" });
    this.plugin = usePrometheus({
      registry: this.registry,
      labels: { operationName: false },
      metrics: {
        graphql_envelop_phase_execute: createHistogram({
          registry: this.registry,
          histogram: {
            name: "graphql_envelop_phase_execute",
            help: "GraphQL operations executed and their execution time (vendor calls included), by operation type.",
            labelNames: ["operationType"],
          },
          fillLabelsFn: byType,
        }),
        graphql_envelop_error_result: createCounter({
          registry: this.registry,
          counter: {
            name: "graphql_envelop_error_result",
            help: `Errors of GraphQL execution, by operation type and path (at most ${MAX_CALLER_LABELS} paths, then other).`,
            labelNames: ["operationType", "phase", "path"],
          },
          fillLabelsFn: (params) => ({
            ...byType(params),
            phase: params.errorPhase ?? "execute",
            path: this.#errorPath(params.error?.path?.join(".") ?? ""),
          }),
          phases: ["execute"],
        }),
      },
    }) as Plugin;
  }

  /** The shared store whose state the degraded gauge reports. */
  watchStore(degraded: () => boolean): void {
    this.#storeDegraded = degraded;
  }

  /** Reports a connection's rate budget as `remaining()` last saw it (undefined until its first call). */
  watchRateBudget(tenant: string, vendor: string, remaining: () => number | undefined): void {
    this.#rateBudgets.set(`${tenant}\u0000${vendor}`, { tenant, vendor, remaining });
  }

  /** A vendor connection's circuit breaker moved. */
  breaker(tenant: string, vendor: string, state: CircuitState): void {
    this.breakerState.set({ tenant, vendor }, BREAKER_STATES[state]);
  }

  /** One answered operation and the codes of its errors. */
  operation(name: string | null | undefined, codes: readonly string[]): void {
    const operation = this.#label(name);
    this.operations.inc({ operation });
    for (const code of codes) this.errors.inc({ operation, code });
  }

  /** A GraphQL request refused before any operation was read: its error code, with no operation name. */
  refusal(code: string): void {
    this.errors.inc({ operation: "", code });
  }

  #label(name: string | null | undefined): string {
    return name ? this.#operationName(name) : "anonymous";
  }
}

/** A label's value as given while fewer than `max` distinct ones were seen, else "other". */
function cappedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return "other";
    seen.add(value);
    return value;
  };
}

/** Serves the registry at GET /metrics on its own listener, apart from the API (not public by default). */
export async function startMetricsServer(
  metrics: Metrics,
  options: { port: number; host: string },
): Promise<{ server: Server; origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "/").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Metrics are at GET /metrics.\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://${options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
