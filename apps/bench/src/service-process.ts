import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { spawnChild, spawnPolled } from "./child.ts";
import type { SandboxInfo } from "./sandbox-process.ts";
import type { RunSystemName, Telemetry } from "./workload.ts";

export interface SystemOptions {
  sandbox: SandboxInfo;
  /** Every key a connection may present. */
  apiKeys: readonly string[];
  /** Connection cap of each upstream pool, the same for both systems. */
  upstreamConnections: number;
  /** Where the Taskbridge config file (and CPU profiles) go. */
  resultsDir: string;
  /** Taskbridge only: write a .cpuprofile to resultsDir/profiles on exit. */
  cpuProf?: boolean;
  /** Taskbridge's LOG_LEVEL (its access log is part of what it costs). */
  logLevel: string;
  /** V8 flags of both systems, so the comparison is between code, not runtime settings. */
  nodeFlags: readonly string[];
}

export interface RunningSystem {
  name: RunSystemName;
  pid: number;
  origin: string;
  /** Where GET /metrics is served (Taskbridge with metrics on). */
  metricsOrigin?: string;
  /** Where its CPU profile is written when it stops (with cpuProf). */
  profile?: string;
  stop(): Promise<void>;
}

/**
 * The bench's V8 flags for every system: the service's own `start` flag (a 32 MiB young generation) and the
 * garbage-collection settings tuned to this 2-core machine, which production does not use (their trade-offs:
 * apps/bench/README.md, "V8 flags"). Changing them breaks comparison with the runs recorded in results/.
 */
export const BENCH_NODE_FLAGS: readonly string[] = [
  "--max-semi-space-size=32",
  "--min-semi-space-size=32",
  "--heap-growing-percent=100",
  "--no-allocation-site-pretenuring",
  "--no-memory-reducer",
  "--no-parallel-scavenge",
];

const PROXY_SCRIPT = fileURLToPath(new URL("./proxy-main.ts", import.meta.url));
/** Through the declared dependency's link, so the service starts exactly as `pnpm start` does. */
const TASKBRIDGE_MAIN = fileURLToPath(new URL("../node_modules/@taskbridge/graphql/src/main.ts", import.meta.url));

export async function startSystem(name: RunSystemName, options: SystemOptions): Promise<RunningSystem> {
  if (name === "proxy") return startProxy(options);
  return startTaskbridge(options, name === "taskbridge" ? undefined : (name.slice("taskbridge+".length) as Telemetry));
}

async function startProxy(options: SystemOptions): Promise<RunningSystem> {
  const child = await spawnChild<{ port: number }>(PROXY_SCRIPT, {
    execArgv: options.nodeFlags,
    input: { sandbox: options.sandbox, apiKeys: options.apiKeys, connections: options.upstreamConnections },
  });
  return { name: "proxy", pid: child.pid, origin: `http://127.0.0.1:${child.ready.port}`, stop: child.stop };
}

/**
 * One tenant holding every bench key, connected to the four sandbox vendors (production mode: config file).
 * `rateLimit: false`: the sandbox runs without the vendors' published limits (1,000 a minute), which the load
 * exceeds a hundredfold, so Taskbridge's own budget for them is off too; retries and breakers stay on.
 */
export function taskbridgeConfig(options: SystemOptions): unknown {
  const { maxai, cakewalk, capy, maxsight } = options.sandbox;
  const http = { connections: options.upstreamConnections };
  const rateLimit = false;
  return {
    tenants: [
      {
        id: "bench",
        name: "Benchmark",
        apiKeys: options.apiKeys,
        connections: {
          maxai: { baseUrl: maxai.url, ...maxai.credentials, http, rateLimit },
          cakewalk: {
            baseUrl: cakewalk.url,
            ...cakewalk.credentials,
            http,
            rateLimit,
            listScope: cakewalk.seed.example.userId,
          },
          capy: { baseUrl: capy.url, ...capy.credentials, http, rateLimit, listScope: capy.seed.example.projectId },
          maxsight: { baseUrl: maxsight.url, ...maxsight.credentials, http, rateLimit },
        },
      },
    ],
  };
}

/**
 * The service's own switches, as an operator sets them: metrics on their own listener, or tracing with the `none`
 * exporter (spans made and discarded: tracing's cost without an exporter's).
 */
async function telemetryEnv(telemetry: Telemetry | undefined): Promise<Record<string, string>> {
  if (telemetry === "metrics")
    return { TASKBRIDGE_METRICS_PORT: String(await freePort()), TASKBRIDGE_METRICS_HOST: "127.0.0.1" };
  if (telemetry === "tracing") return { OTEL_TRACES_EXPORTER: "none" };
  return {};
}

async function startTaskbridge(options: SystemOptions, telemetry?: Telemetry): Promise<RunningSystem> {
  mkdirSync(options.resultsDir, { recursive: true });
  const configPath = join(options.resultsDir, "taskbridge-config.json");
  writeFileSync(configPath, JSON.stringify(taskbridgeConfig(options), null, 2));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const extra = await telemetryEnv(telemetry);
  const name = telemetry ? (`taskbridge+${telemetry}` as const) : "taskbridge";
  const profile = options.cpuProf ? profilePath(options.resultsDir, name) : undefined;
  const execArgv = [...options.nodeFlags, ...(profile ? cpuProfFlags(profile) : [])];
  const child = await spawnPolled(
    TASKBRIDGE_MAIN,
    async () => (await fetch(`${origin}/readyz`).then((r) => r.arrayBuffer().then(() => r.status))) === 200,
    {
      execArgv,
      env: {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: options.logLevel,
        TASKBRIDGE_CONFIG: configPath,
        // No load balancer to tell: stop at once (the bench stops it with SIGTERM and waits 5 s at most).
        TASKBRIDGE_DRAIN_DELAY_MS: "0",
        ...extra,
      },
    },
  );
  return {
    name,
    pid: child.pid,
    origin,
    ...(profile ? { profile } : {}),
    ...(extra.TASKBRIDGE_METRICS_PORT ? { metricsOrigin: `http://127.0.0.1:${extra.TASKBRIDGE_METRICS_PORT}` } : {}),
    stop: child.stop,
  };
}

/** results/profiles/<system>-<UTC time>.cpuprofile: one file per profiled system, named so variants can be compared. */
function profilePath(resultsDir: string, system: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return join(resultsDir, "profiles", `${system}-${stamp}.cpuprofile`);
}

/** Node writes the profile to `path` when the process exits. */
function cpuProfFlags(path: string): string[] {
  return ["--cpu-prof", `--cpu-prof-dir=${dirname(path)}`, `--cpu-prof-name=${basename(path)}`];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
