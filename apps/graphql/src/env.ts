import { z } from "zod";
import { CallerKey } from "./caller-key.ts";

const Bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: Int(0, 65_535).default(4000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Path of the tenants config file (JSON). Its presence selects production mode: real vendor URLs. */
  TASKBRIDGE_CONFIG: z.string().min(1).optional(),
  /** The same config inline, for platforms that inject config through the environment. */
  TASKBRIDGE_CONFIG_JSON: z.string().min(1).optional(),
  TASKBRIDGE_INTROSPECTION: Bool.optional(),
  TASKBRIDGE_GRAPHIQL: Bool.optional(),
  /** The example client app (apps/web, built by `npm start`) at /app/. */
  TASKBRIDGE_WEB_APP: Bool.optional(),
  /** API key of the demo tenant in embedded (sandbox) mode. */
  TASKBRIDGE_DEMO_API_KEY: CallerKey.default("tb_demo_key"),
  TASKBRIDGE_MAX_BODY_BYTES: Int(1_024, 10 * 1024 * 1024).default(100 * 1024),
  /** On SIGTERM: how long /readyz answers 503 while requests are still served (default 5000 in production, else 0). */
  TASKBRIDGE_DRAIN_DELAY_MS: Int(0, 120_000).optional(),
  /** Then how long in-flight requests may finish before their connections are cut. */
  TASKBRIDGE_SHUTDOWN_GRACE_MS: Int(0, 120_000).default(10_000),
  /** A client must have sent its request headers within this, and the whole request within the next. */
  TASKBRIDGE_HEADERS_TIMEOUT_MS: Int(1_000, 120_000).default(10_000),
  TASKBRIDGE_BODY_TIMEOUT_MS: Int(1_000, 600_000).default(30_000),
  /** Open connections at most; more are closed as they arrive. */
  TASKBRIDGE_MAX_CONNECTIONS: Int(1, 1_000_000).default(1_024),
  /** Bytes of vendor answers one GraphQL request may read, and all requests in flight together. */
  TASKBRIDGE_VENDOR_BYTES_PER_REQUEST: Int(64 * 1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  TASKBRIDGE_VENDOR_BYTES_IN_FLIGHT: Int(64 * 1024, 16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024),
  /** Shared state (rate budgets, idempotency records) for several instances; in-memory when unset. */
  TASKBRIDGE_REDIS_URL: z.url({ protocol: /^rediss?$/, error: "a redis:// or rediss:// URL" }).optional(),
  /** Serves Prometheus metrics at GET /metrics on this port (its own listener); off when unset. */
  TASKBRIDGE_METRICS_PORT: Int(0, 65_535).optional(),
  TASKBRIDGE_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * Tracing is on when this is set: an exporter (otlp, console, zipkin), or none to make spans and discard them (what
   * tracing costs without an exporter). The OpenTelemetry SDK reads it and the other OTEL_* variables itself.
   */
  OTEL_TRACES_EXPORTER: z.string().min(1).optional(),
  OTEL_SDK_DISABLED: Bool.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Overall deadline of one GraphQL request: every vendor call, retry and wait in it ends by then. */
  TASKBRIDGE_REQUEST_TIMEOUT_MS: Int(100, 120_000).default(10_000),
  /** How long idempotency records are kept (at least 24 h). */
  TASKBRIDGE_IDEMPOTENCY_TTL_HOURS: Int(24, 24 * 30).default(24),
  /**
   * While Redis is unreachable, keep idempotency records in this instance's memory instead of refusing keyed
   * writes, createTask and the actions (IDEMPOTENCY_UNAVAILABLE). Risk: a retry on another instance, or on this one
   * after Redis returns or after a restart, does not find the record and sends the write again.
   */
  TASKBRIDGE_IDEMPOTENCY_LOCAL_FALLBACK: Bool.default(false),
  /**
   * Most memory idempotency records kept in this process may take, in MiB: without Redis, or while the local fallback
   * serves. Past it, a keyed write with a new key is refused (IDEMPOTENCY_RECORDS_FULL) until records expire.
   */
  TASKBRIDGE_IDEMPOTENCY_MEMORY_MB: Int(1, 1024 * 1024).default(256),
  /**
   * Signs task-list cursors: the same on every instance, so a cursor one issued is valid on all and across
   * restarts. Required with TASKBRIDGE_REDIS_URL (several instances); unset: a random secret per process, whose
   * cursors end with it.
   */
  TASKBRIDGE_CURSOR_SECRET: z.string().min(32, "at least 32 characters").optional(),
});

/** Rules across variables, checked on the raw values so they are reported together with the others. */
function crossIssues(values: Record<string, string | undefined>): string[] {
  const issues: string[] = [];
  if (values.TASKBRIDGE_CONFIG && values.TASKBRIDGE_CONFIG_JSON) {
    issues.push("TASKBRIDGE_CONFIG_JSON: set TASKBRIDGE_CONFIG or TASKBRIDGE_CONFIG_JSON, not both");
  }
  if (values.NODE_ENV === "production" && !values.TASKBRIDGE_CONFIG && !values.TASKBRIDGE_CONFIG_JSON) {
    issues.push("TASKBRIDGE_CONFIG: required when NODE_ENV=production (the sandbox never runs in production)");
  }
  // Only once the Redis URL is one (a bad one is its own issue).
  if (/^rediss?:\/\//.test(values.TASKBRIDGE_REDIS_URL ?? "") && !values.TASKBRIDGE_CURSOR_SECRET) {
    issues.push(
      "TASKBRIDGE_CURSOR_SECRET: required with TASKBRIDGE_REDIS_URL (instances must verify each other's task-list cursors)",
    );
  }
  return issues;
}

export interface Env {
  nodeEnv: "development" | "production" | "test";
  production: boolean;
  port: number;
  host: string;
  logLevel: string;
  configPath: string | undefined;
  configJson: string | undefined;
  introspection: boolean;
  graphiql: boolean;
  webApp: boolean;
  demoApiKey: string;
  maxBodyBytes: number;
  drainDelayMs: number;
  shutdownGraceMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxConnections: number;
  vendorBytesPerRequest: number;
  vendorBytesInFlight: number;
  redisUrl: string | undefined;
  /** Where GET /metrics is served, when it is. */
  metrics: { port: number; host: string } | undefined;
  /** Whether OpenTelemetry tracing is on, the service name its spans carry, and whether they are only discarded. */
  tracing: { serviceName: string; discard: boolean } | undefined;
  requestTimeoutMs: number;
  idempotencyTtlMs: number;
  /** Idempotency records fall back to memory while Redis is unreachable (default: keyed writes are refused). */
  idempotencyLocalFallback: boolean;
  /** Most bytes idempotency records kept in memory may take. */
  idempotencyMemoryBytes: number;
  /** Signs task-list cursors; undefined: a random one per process (a single instance). */
  cursorSecret: string | undefined;
  /** Reads a variable named by the config file (`{ "env": "NAME" }` secrets). */
  lookup(name: string): string | undefined;
}

export class EnvError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`invalid environment:\n  - ${issues.join("\n  - ")}`);
    this.name = "EnvError";
    this.issues = issues;
  }
}

/** The only reader of process.env. Reports every bad variable at once, naming it but never echoing its value. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const values = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, source[key] === "" ? undefined : source[key]]),
  );
  const parsed = EnvSchema.safeParse(values);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)),
    ...crossIssues(values),
  ];
  if (!parsed.success || issues.length > 0) throw new EnvError(issues);
  const env = parsed.data;
  const production = env.NODE_ENV === "production";
  return {
    nodeEnv: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    logLevel: env.LOG_LEVEL,
    configPath: env.TASKBRIDGE_CONFIG,
    configJson: env.TASKBRIDGE_CONFIG_JSON,
    introspection: env.TASKBRIDGE_INTROSPECTION ?? !production,
    graphiql: env.TASKBRIDGE_GRAPHIQL ?? !production,
    webApp: env.TASKBRIDGE_WEB_APP ?? !production,
    demoApiKey: env.TASKBRIDGE_DEMO_API_KEY,
    maxBodyBytes: env.TASKBRIDGE_MAX_BODY_BYTES,
    drainDelayMs: env.TASKBRIDGE_DRAIN_DELAY_MS ?? (production ? 5_000 : 0),
    shutdownGraceMs: env.TASKBRIDGE_SHUTDOWN_GRACE_MS,
    headersTimeoutMs: env.TASKBRIDGE_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: env.TASKBRIDGE_BODY_TIMEOUT_MS,
    maxConnections: env.TASKBRIDGE_MAX_CONNECTIONS,
    vendorBytesPerRequest: env.TASKBRIDGE_VENDOR_BYTES_PER_REQUEST,
    vendorBytesInFlight: env.TASKBRIDGE_VENDOR_BYTES_IN_FLIGHT,
    redisUrl: env.TASKBRIDGE_REDIS_URL,
    metrics:
      env.TASKBRIDGE_METRICS_PORT === undefined
        ? undefined
        : { port: env.TASKBRIDGE_METRICS_PORT, host: env.TASKBRIDGE_METRICS_HOST },
    tracing:
      env.OTEL_SDK_DISABLED || env.OTEL_TRACES_EXPORTER === undefined
        ? undefined
        : { serviceName: env.OTEL_SERVICE_NAME ?? "taskbridge", discard: env.OTEL_TRACES_EXPORTER === "none" },
    requestTimeoutMs: env.TASKBRIDGE_REQUEST_TIMEOUT_MS,
    idempotencyTtlMs: env.TASKBRIDGE_IDEMPOTENCY_TTL_HOURS * 3_600_000,
    idempotencyLocalFallback: env.TASKBRIDGE_IDEMPOTENCY_LOCAL_FALLBACK,
    idempotencyMemoryBytes: env.TASKBRIDGE_IDEMPOTENCY_MEMORY_MB * 1024 * 1024,
    cursorSecret: env.TASKBRIDGE_CURSOR_SECRET,
    lookup: (name) => source[name],
  };
}
