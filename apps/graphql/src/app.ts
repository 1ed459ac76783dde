import type { IncomingMessage, ServerResponse } from "node:http";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { createRequestDeadline, requestDeadline, type SharedStore } from "@taskbridge/http";
import { createYoga, type Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import { createContext, type GraphQLContext, type Tenant } from "./context.ts";
import { createFastPath } from "./fast-path.ts";
import { DEFAULT_IDEMPOTENCY_TTL_MS, type IdempotencyOptions } from "./idempotency.ts";
import type { RequestLogger } from "./logger.ts";
import { createCompiledExecution } from "./plugins/compiled-execution.ts";
import { disableIntrospectionPlugin } from "./plugins/no-introspection.ts";
import { normalizeErrorsPlugin } from "./plugins/normalize-errors.ts";
import { requestGatePlugin } from "./plugins/request-gate.ts";
import { connectionPolicies, type ReliabilitySettings } from "./reliability.ts";
import { schema } from "./schema.ts";
import { createTenantSources, type SourceOptions } from "./sources.ts";
import { type AppStore, createAppStore } from "./store.ts";
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
  /** Largest request body yoga will read. */
  bodyBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  depth: 8,
  aliases: 30,
  tokens: 3_000,
  cost: 5_000,
  directives: 20,
  bodyBytes: 100 * 1024,
};

export interface AppOptions {
  tenants: readonly ResolvedTenant[];
  logger: Logger;
  /** Allow `__schema` / `__type` queries. Off in production unless configured. */
  introspection: boolean;
  /** GraphiQL at GET /graphql, with example operations, or false. */
  graphiql: false | { defaultQuery?: string; headers?: string; title?: string };
  limits?: Partial<Limits>;
  /** `sources.policies` replaces the reliability policies built from `reliability` (the seam stays open). */
  sources?: SourceOptions;
  /** Overall deadline of one GraphQL request, retries and waits included (default 10000). */
  requestTimeoutMs?: number;
  /** Redis for shared rate budgets and idempotency records (several instances); in-memory when absent. */
  redisUrl?: string | undefined;
  /** A store the caller owns instead (not closed by close()); wins over redisUrl. */
  store?: SharedStore;
  /** How long idempotency records are kept (default and minimum 24 h). */
  idempotencyTtlMs?: number;
  /** Keep idempotency records in memory while Redis is unreachable instead of refusing keyed creates (see env.ts). */
  idempotencyLocalFallback?: boolean;
  /** Executions of a document before graphql-jit compiles it (default 100), or false to never compile. */
  compileAfter?: number | false;
  /** false sends every request through yoga's Fetch adapter (tests compare both ways); default on. */
  fastPath?: boolean;
  /** Tuning of the reliability policies (tests shorten cooldowns); false builds none. */
  reliability?: Partial<Omit<ReliabilitySettings, "store" | "logger">> | false;
}

export type Readiness = { status: "ready" } | { status: "degraded"; store: string };

/** What the request listener passes to yoga for each request. */
export interface ServerContext {
  requestId: string;
  log: RequestLogger;
  /** Filled by the request gate once the API key matched (an object, so the server's copy sees it too). */
  auth: { tenant?: Tenant };
  /**
   * The request's deadline, set by App.handle: aborts when the request timeout passes or the client goes away.
   * Vendor calls, retries and waits end by it.
   */
  deadline?: AbortSignal;
}

export interface App {
  yoga: ReturnType<typeof createYoga<ServerContext, GraphQLContext>>;
  /** Node request listener for GraphQL requests (the server adds health, body limit and request ids). */
  handle(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void>;
  tenants: readonly Tenant[];
  /** Every vendor credential of every tenant: never to appear in a response or log line. */
  secrets: readonly string[];
  /** The shared store (rate budgets, idempotency records). */
  store: SharedStore;
  /** What /readyz reports while the process serves: degraded when Redis is unreachable. */
  readiness(): Readiness;
  close(): Promise<void>;
}

/**
 * Builds everything that lives as long as the process: one client per tenant connection, one yoga instance
 * over the schema that was built at import. Requests only create their context.
 */
export function createApp(options: AppOptions): App {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const owned: AppStore | undefined = options.store
    ? undefined
    : createAppStore({
        redisUrl: options.redisUrl,
        logger: options.logger,
        localIdempotency: options.idempotencyLocalFallback,
      });
  const store = options.store ?? (owned as AppStore).store;
  const idempotency: IdempotencyOptions = {
    store: options.store ?? (owned as AppStore).idempotency,
    ttlMs: Math.max(DEFAULT_IDEMPOTENCY_TTL_MS, options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS),
  };
  const policies =
    options.sources?.policies ??
    (options.reliability === false
      ? undefined
      : connectionPolicies(options.tenants, { ...options.reliability, store, logger: options.logger }));
  const sourceOptions: SourceOptions = { ...options.sources, ...(policies ? { policies } : {}) };
  const built = options.tenants.map((tenant) => {
    const { sources, close } = createTenantSources(tenant.id, tenant.connections, sourceOptions);
    return { config: tenant, runtime: { id: tenant.id, name: tenant.name, sources } satisfies Tenant, close };
  });
  const secrets = options.tenants.flatMap((tenant) => connectionSecrets(tenant.connections));

  type Ctx = GraphQLContext & ServerContext;
  const gateTenants = built.map(({ config, runtime }) => ({ keyDigests: config.keyDigests, runtime }));
  const compiled =
    options.compileAfter === false
      ? undefined
      : createCompiledExecution<Ctx>({
          after: options.compileAfter ?? 100,
          onCompileError: (result) =>
            options.logger.warn({ errors: result.errors?.map((e) => e.message) }, "graphql-jit: not compiled"),
        });
  /** The GraphQL context of a request, for yoga's `context` option and the fast path alike. */
  const contextFor = ({ auth, requestId, log, deadline, request }: ServerContext & { request?: Request }) => {
    // The gate refuses every GraphQL request without a tenant before yoga (or the fast path) gets here.
    const tenant = auth?.tenant;
    if (!tenant) throw new Error("request reached GraphQL without a tenant");
    // One deadline for the whole request: every vendor call, retry and wait in it ends by then.
    const signal = deadline ?? requestDeadline(requestTimeoutMs, request?.signal);
    return createContext({ tenant, requestId, log, signal, idempotency });
  };
  const plugins: Plugin<Ctx>[] = [
    requestGatePlugin<Ctx>({ tenants: gateTenants }),
    maxTokensPlugin({ n: limits.tokens }),
    maxDepthPlugin({ n: limits.depth, flattenFragments: true }),
    maxAliasesPlugin({ n: limits.aliases }),
    maxDirectivesPlugin({ n: limits.directives }),
    costLimitPlugin({ maxCost: limits.cost }),
    blockFieldSuggestionsPlugin(),
    ...(options.introspection ? [] : [disableIntrospectionPlugin<Ctx>()]),
    normalizeErrorsPlugin<Ctx>(),
    ...(compiled ? [compiled.plugin] : []),
  ];

  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    plugins,
    graphqlEndpoint: "/graphql",
    // Health and readiness are the server's (/healthz, /readyz); yoga's own check would answer unauthenticated.
    healthCheckEndpoint: "/__yoga_health_disabled",
    landingPage: false,
    // Only JSON bodies: multipart and form posts are what cross-site forms can send without a CORS preflight.
    multipart: false,
    maxRequestBodySize: limits.bodyBytes,
    batching: false,
    cors: { origin: "*", credentials: false, methods: ["GET", "POST"] },
    graphiql: options.graphiql === false ? false : { title: "Taskbridge", ...options.graphiql },
    maskedErrors: { isDev: false },
    logging: yogaLogger(options.logger),
    context: contextFor,
  });
  const fastPath = createFastPath({
    yoga,
    findTenant: tenantIndex(gateTenants),
    maxBodyBytes: limits.bodyBytes,
    contextFor,
    compiled,
  });

  return {
    yoga,
    handle: async (req, res, context) => {
      // One controller and one timer per request, cleared when the response is done: far cheaper than
      // AbortSignal.timeout + AbortSignal.any over whatwg-node's request.signal, which it aborts (building a
      // DOMException) at the end of every request.
      const deadline = createRequestDeadline(requestTimeoutMs);
      res.once("close", () => {
        if (res.writableFinished) deadline.dispose();
        else deadline.abort(new DOMException("The client went away", "AbortError"));
      });
      context.deadline = deadline.signal;
      if (options.fastPath !== false && (await fastPath(req, res, context))) return;
      // yoga answers synchronously when a plugin ends the response early; awaiting normalises that.
      await yoga.handle(req, res, context);
    },
    tenants: built.map(({ runtime }) => runtime),
    secrets,
    store,
    readiness() {
      const reason = owned?.degradedReason();
      return reason ? { status: "degraded", store: reason } : { status: "ready" };
    },
    async close() {
      await Promise.allSettled(built.map(({ close }) => close()));
      await owned?.close();
    },
  };
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
