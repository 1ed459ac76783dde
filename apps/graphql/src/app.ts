import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { useGraphQlJit } from "@envelop/graphql-jit";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import type { TracerProvider } from "@opentelemetry/api";
import { BodyBudget, type CircuitState, type HttpLogger, type SharedStore } from "@taskbridge/http";
import { type DocumentNode, NoSchemaIntrospectionCustomRule } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import { type BudgetLimits, DEFAULT_BUDGET, RequestBudget } from "./budget.ts";
import { createContext, type GraphQLContext, type RequestScope, type Tenant } from "./context.ts";
import { createHttpAdapter, GRAPHQL_PATH } from "./http/adapter.ts";
import { authenticator } from "./http/authenticate.ts";
import { type GraphiQLOptions, graphiqlPage } from "./http/graphiql.ts";
import { type WebAppOptions, webApp } from "./http/web-app.ts";
import { DEFAULT_IDEMPOTENCY_TTL_MS, type IdempotencyOptions } from "./idempotency.ts";
import { InFlightWrites } from "./in-flight-writes.ts";
import { ListCursors } from "./list-cursor.ts";
import { runOperation } from "./pipeline.ts";
import { compileAfter } from "./plugins/compile-after.ts";
import { limitRules, tokenLimit } from "./plugins/limits.ts";
import { validationPlugin } from "./plugins/validation.ts";
import { variableErrorsPlugin } from "./plugins/variable-errors.ts";
import { vendorCallPlanPlugin } from "./plugins/vendor-call-plan.ts";
import { connectionPolicies, connectionRateLimit, type ReliabilitySettings } from "./reliability.ts";
import { schema } from "./schema.ts";
import { createTenantSources, type SourceOptions } from "./sources.ts";
import { type AppStore, createAppStore } from "./store.ts";
import type { Metrics } from "./telemetry/metrics.ts";
import { requestTracing } from "./telemetry/tracing.ts";
import { vendorCallInstrumentation } from "./telemetry/vendor-calls.ts";
import { connectionSecrets, type ResolvedTenant, tenantIndex } from "./tenants.ts";

export interface Limits {
  /** Deepest selection nesting. */
  depth: number;
  aliases: number;
  /** Lexer tokens in a document (checked while parsing). */
  tokens: number;
  /** graphql-armor's static cost (objects and scalars weighted by depth). */
  cost: number;
  directives: number;
  /** Largest request body read. */
  bodyBytes: number;
  /** Most operations in one batch (a JSON array body). */
  batch: number;
  /** Bytes of vendor answers one request may read (each answer also stays within the client's 5 MiB). */
  vendorBytes: number;
  /** Bytes of vendor answers every request in flight together may hold. */
  vendorBytesInFlight: number;
}

export const DEFAULT_LIMITS: Limits = {
  depth: 8,
  aliases: 30,
  tokens: 3_000,
  cost: 5_000,
  directives: 20,
  bodyBytes: 100 * 1024,
  batch: 10,
  vendorBytes: 16 * 1024 * 1024,
  vendorBytesInFlight: 64 * 1024 * 1024,
};

/**
 * Parsed documents kept for the next request sending the same text, the most recently used. A document at the
 * token limit parses to about 850 KB, so yoga's default of 1,024 could hold most of a gigabyte.
 */
export const DOCUMENT_CACHE_SIZE = 256;

export interface AppOptions {
  tenants: readonly ResolvedTenant[];
  logger: Logger;
  /** Allow `__schema` / `__type` queries. Off in production unless configured. */
  introspection: boolean;
  /** GraphiQL at GET /graphql (Accept: text/html), or false. */
  graphiql: false | GraphiQLOptions;
  limits?: Partial<Limits>;
  /** Wraps each vendor client once at startup (tests: a vendor that sends assignee ids without the people). */
  sources?: Pick<SourceOptions, "decorate">;
  /** Overall deadline of one GraphQL request, retries and waits included (default 10000). */
  requestTimeoutMs?: number;
  /** Redis for shared rate budgets and idempotency records (several instances); in-memory when absent. */
  redisUrl?: string | undefined;
  /** A store the caller owns instead (not closed by close()); wins over redisUrl. */
  store?: SharedStore;
  /** How long idempotency records are kept (default and minimum 24 h). */
  idempotencyTtlMs?: number;
  /** Keep idempotency records in memory while Redis is unreachable instead of refusing keyed writes (see env.ts). */
  idempotencyLocalFallback?: boolean;
  /** Most bytes idempotency records kept in memory may take (default 256 MiB; MemoryStore's maxRecordBytes). */
  idempotencyMemoryBytes?: number;
  /**
   * Signs task-listing cursors (at least 32 bytes): the same on every instance, so a cursor one issued is valid on
   * all. Absent: a random secret of this process, whose cursors end with it.
   */
  cursorSecret?: string | undefined;
  /** Executions of a query document before graphql-jit compiles it (default 100), or false to never compile. */
  compileAfter?: number | false;
  /** Tuning of the reliability policies (tests shorten the breaker's cooldown). */
  reliability?: Pick<ReliabilitySettings, "circuitBreaker">;
  /** Vendor calls one request may make (default 100, and 10% of a connection's rate budget). */
  budget?: Partial<BudgetLimits>;
  /** The example client app (apps/web), served under /app/ when given. */
  webApp?: WebAppOptions;
  /** Prometheus metrics to record into (served by the caller on their own port). */
  metrics?: Metrics;
  /** OpenTelemetry: spans for requests, operations and vendor calls (off when absent). */
  tracing?: TracerProvider;
  /** More envelop plugins (metrics, tracing, tests' probes): they see every operation, like the built-in ones. */
  plugins?: readonly Plugin[];
}

export interface Readiness {
  /** degraded: Redis is unreachable and this instance uses its local fallback (still 200); draining: 503. */
  status: "ready" | "degraded" | "draining";
  /** Why the store is degraded. */
  store?: string;
  /** Each vendor connection's circuit breaker, by tenant and vendor: closed, half-open or open. */
  circuits: Record<string, Record<string, CircuitState>>;
}

export interface App {
  /** The node:http request listener: every HTTP request the service answers. */
  listener(req: IncomingMessage, res: ServerResponse): void;
  /** node:http's `clientError` listener: Node's own refusals, answered as the service's. */
  clientError(error: Error & { code?: string }, socket: Duplex): void;
  tenants: readonly Tenant[];
  /** Every vendor credential of every tenant: never to appear in a response or log line. */
  secrets: readonly string[];
  /** The shared store (rate budgets, idempotency records). */
  store: SharedStore;
  /** What /readyz reports: degraded when Redis is unreachable, draining once drain() was called. */
  readiness(): Readiness;
  /** From now on /readyz answers 503, so load balancers stop sending; requests are still served. */
  drain(): void;
  close(): Promise<void>;
}

/**
 * Builds everything that lives as long as the process: one client per tenant connection, one yoga instance whose
 * envelop pipeline every GraphQL operation passes through, and the HTTP adapter in front of it.
 */
export function createApp(options: AppOptions): App {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const owned: AppStore | undefined = options.store
    ? undefined
    : createAppStore({
        redisUrl: options.redisUrl,
        logger: options.logger,
        localIdempotency: options.idempotencyLocalFallback,
        memoryRecordBytes: options.idempotencyMemoryBytes,
      });
  const store = options.store ?? (owned as AppStore).store;
  const idempotency: IdempotencyOptions = {
    store: options.store ?? (owned as AppStore).idempotency,
    ttlMs: Math.max(DEFAULT_IDEMPOTENCY_TTL_MS, options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS),
    ...(options.metrics ? { onOutcome: (outcome) => options.metrics?.idempotency.inc({ outcome }) } : {}),
  };
  const circuits: Readiness["circuits"] = {};
  const circuitMoved = (tenant: string, vendor: string, state: CircuitState) => {
    circuits[tenant] = { ...circuits[tenant], [vendor]: state };
    options.metrics?.breaker(tenant, vendor, state);
  };
  const policies = connectionPolicies(options.tenants, {
    ...options.reliability,
    store,
    logger: options.logger,
    onBreakerChange: circuitMoved,
  });
  if (options.metrics && owned) options.metrics.watchStore(() => owned.degradedReason() !== undefined);
  const tracing = options.tracing ? requestTracing(options.tracing) : undefined;
  const telemetry = { metrics: options.metrics, tracer: tracing?.tracer };
  const sourceOptions: SourceOptions = {
    // The transport's lines name their vendor themselves.
    logger: (tenant) => transportLogger(options.logger.child({ component: "vendor", tenant })),
    instrumentation: (tenantId, vendor) => vendorCallInstrumentation(tenantId, vendor, telemetry),
    policies,
    ...options.sources,
  };
  const built = options.tenants.map((tenant) => {
    const { sources, close } = createTenantSources(tenant.id, tenant.connections, sourceOptions);
    const runtime: Tenant = {
      id: tenant.id,
      name: tenant.name,
      sources,
      vendors: [...sources.keys()],
      rateLimit: (vendor) => connectionRateLimit(tenant.connections, vendor)?.limit,
      listScope: (vendor) => tenant.connections[vendor]?.listScope,
    };
    return { config: tenant, runtime, close };
  });
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  const cursors = new ListCursors(options.cursorSecret ?? randomBytes(32));
  const writes = new InFlightWrites();
  // The policies hold a breaker per connection, closed at start.
  for (const { runtime } of built) for (const vendor of runtime.vendors) circuitMoved(runtime.id, vendor, "closed");
  const secrets = options.tenants.flatMap((tenant) => connectionSecrets(tenant.connections));
  const findTenant = tenantIndex(built.map(({ config, runtime }) => ({ keyDigests: config.keyDigests, runtime })));

  const plugins = envelopPlugins(options, limits, tracing?.plugin);
  const yoga = createYoga<GraphQLContext>({
    schema,
    plugins,
    graphqlEndpoint: GRAPHQL_PATH,
    // Parsed documents are cached by yoga, validation results by validationPlugin. Repeated unparsable documents are
    // parsed again: a cached parse error is thrown before the other plugins' parse hooks finish.
    parserAndValidationCache: {
      documentCache: new LRUCache<string, DocumentNode>({ max: DOCUMENT_CACHE_SIZE }),
      validationCache: false,
      errorCache: { get: () => undefined, set: () => {} },
    },
    maskedErrors: { isDev: false },
    logging: yogaLogger(options.logger),
  });
  const getEnveloped = yoga.getEnveloped as unknown as Parameters<typeof runOperation>[0];

  let draining = false;
  const readiness = (): Readiness => {
    if (draining) return { status: "draining", circuits };
    const reason = owned?.degradedReason();
    return reason ? { status: "degraded", store: reason, circuits } : { status: "ready", circuits };
  };
  // Parsed JSON can take up to 20 times its text, so these bound what vendors' answers make the process hold.
  const inFlight = new BodyBudget(limits.vendorBytesInFlight);
  const { listener, clientError } = createHttpAdapter({
    logger: options.logger,
    authenticate: authenticator((key) => findTenant(key)?.runtime),
    open: (request) => {
      const { tenant } = request;
      const scope: RequestScope = {
        ...request,
        budget: new RequestBudget(budget, tenant.rateLimit, tenant.vendors),
      };
      return {
        // Each operation of a batch has a context of its own (its own task reads and loaders), made whole here: yoga's
        // `context` option would add a context hook to every operation, copying these fields onto another object.
        run: (params, method) =>
          runOperation(getEnveloped, params, method, createContext({ ...scope, idempotency, cursors, writes })),
        vendorCalls: () => scope.budget.spent,
      };
    },
    bodyBytes: limits.bodyBytes,
    batchLimit: limits.batch,
    vendorBodies: () => new BodyBudget(limits.vendorBytes, inFlight),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    // Degraded (Redis unreachable) still answers 200: taking every instance out of the load balancer because of
    // Redis would turn a weaker guarantee into an outage.
    readiness: () => {
      const state = readiness();
      return { status: state.status === "draining" ? 503 : 200, body: state };
    },
    graphiql: options.graphiql === false ? undefined : graphiqlPage(GRAPHQL_PATH, options.graphiql),
    webApp: options.webApp ? webApp(options.webApp) : undefined,
    metrics: options.metrics,
    tracing,
  });

  return {
    listener,
    clientError,
    tenants: built.map(({ runtime }) => runtime),
    secrets,
    store,
    readiness,
    drain() {
      draining = true;
    },
    async close() {
      // Writes already sent outlive their callers (cut off by the shutdown's grace): each finishes and records its
      // outcome before the clients and the store it needs close.
      await writes.settled();
      await Promise.allSettled(built.map(({ close }) => close()));
      await owned?.close();
    },
  };
}

/**
 * The envelop plugins every operation passes, in order: the document's limits and validation, variable errors in
 * graphql-js's words, the vendor-call budget, the caller's own plugins, metrics, graphql-jit, then tracing: its
 * execute function wraps whichever one runs (graphql-jit's replaces any set before it), so that resolvers, and the
 * vendor calls they make, run inside the operation's span.
 */
export function envelopPlugins(
  options: Pick<AppOptions, "introspection" | "plugins" | "metrics" | "compileAfter" | "logger">,
  limits: Limits,
  tracing: Plugin | undefined,
): Plugin<GraphQLContext>[] {
  return [
    tokenLimit(limits),
    validationPlugin([
      ...limitRules(limits),
      // Production publishes the schema as SDL instead of answering `__schema` and `__type`.
      ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ]),
    blockFieldSuggestionsPlugin(),
    variableErrorsPlugin<GraphQLContext>(),
    vendorCallPlanPlugin(),
    ...((options.plugins ?? []) as Plugin<GraphQLContext>[]),
    ...(options.metrics ? [options.metrics.plugin as Plugin<GraphQLContext>] : []),
    ...(options.compileAfter === false
      ? []
      : [
          useGraphQlJit(
            {},
            {
              enableIf: compileAfter(options.compileAfter ?? 100),
              onError: (result) =>
                options.logger.warn({ errors: result.errors?.map((e) => e.message) }, "graphql-jit: not compiled"),
            },
          ) as Plugin<GraphQLContext>,
        ]),
    ...(tracing ? [tracing as Plugin<GraphQLContext>] : []),
  ];
}

/** A connection's transport logger: failed exchanges at warn, and every exchange only when debug lines are kept. */
function transportLogger(log: Logger): HttpLogger {
  return log.isLevelEnabled("debug") ? log : { warn: log.warn.bind(log) };
}

function yogaLogger(logger: Logger) {
  const log = logger.child({ component: "yoga" });
  return {
    debug: (...args: unknown[]) => log.debug({ args: args.map(describe) }, "yoga"),
    info: (...args: unknown[]) => log.info({ args: args.map(describe) }, "yoga"),
    warn: (...args: unknown[]) => log.warn({ args: args.map(describe) }, "yoga"),
    error: (...args: unknown[]) => log.error({ args: args.map(describe) }, "yoga error"),
  };
}

/** Errors are reduced to name and message (our messages carry no credentials; the logger also scrubs them). */
function describe(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
