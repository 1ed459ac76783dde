/**
 * `pnpm --filter @taskbridge/graphql start` (the repo's `npm start`).
 * - No config: embedded mode. Starts the sandbox vendors and a demo tenant, prints the URL and the API key.
 * - TASKBRIDGE_CONFIG=path.json (or TASKBRIDGE_CONFIG_JSON): production mode against the configured vendor URLs.
 * - --check: probes every configured vendor connection and exits (`npm run check-connections`).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "@taskbridge/sandbox";
import { createApp } from "./app.ts";
import { checkConnections, checkSharedStore, describeReports } from "./connection-check.ts";
import { startEmbedded } from "./embedded.ts";
import { EnvError, readEnv } from "./env.ts";
import { exampleOperations } from "./examples.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";
import { Metrics, startMetricsServer } from "./telemetry/metrics.ts";
import { startTracingSdk } from "./telemetry/sdk.ts";
import { ConfigError, connectionSecrets, type ResolvedTenant, resolveConfig } from "./tenants.ts";

async function main(): Promise<void> {
  const env = readEnv();
  const embedded = !env.configPath && !env.configJson;

  let tenants: ResolvedTenant[];
  let sandbox: Sandbox | undefined;
  let tabs: { query: string; variables?: string }[] | undefined;
  let curlTaskId = "";
  let sandboxOrigins: Record<string, string> = {};
  if (embedded) {
    const started = await startEmbedded({ apiKey: env.demoApiKey });
    sandbox = started.sandbox;
    tenants = started.tenants;
    tabs = exampleOperations(started.examples).map(({ name: _name, ...tab }) => tab);
    curlTaskId = started.examples.maxsightTaskId;
    sandboxOrigins = Object.fromEntries(
      Object.values(started.sandbox.vendors).map((vendor) => [vendor.vendor, vendor.origin]),
    );
  } else {
    const text = env.configPath ? readConfigFile(env.configPath) : (env.configJson as string);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError([`${env.configPath ?? "TASKBRIDGE_CONFIG_JSON"}: not valid JSON`]);
    }
    tenants = resolveConfig(json, env.lookup);
  }

  if (process.argv.includes("--check")) {
    // `npm run check-connections`: probe every vendor connection and the shared store, report every failure, start
    // nothing.
    const [vendors, store] = await Promise.all([
      checkConnections(tenants),
      env.redisUrl ? checkSharedStore(env.redisUrl) : undefined,
    ]);
    const reports = store ? [...vendors, store] : vendors;
    await sandbox?.close();
    process.stdout.write(`${describeReports(reports)}\n`);
    process.exit(reports.every((report) => report.ok) ? 0 : 1);
  }

  const logger = createLogger({
    level: env.logLevel,
    secrets: tenants.flatMap((tenant) => connectionSecrets(tenant.connections)),
  });
  const tracing = env.tracing ? startTracingSdk(env.tracing) : undefined;
  const metrics = env.metrics ? new Metrics() : undefined;
  const webAppDir = fileURLToPath(new URL("../../web/dist/", import.meta.url));
  const webApp = env.webApp && existsSync(`${webAppDir}index.html`);
  if (env.webApp && !webApp) logger.warn({ dir: webAppDir }, "the example app is not built: `npm start` builds it");
  const app = createApp({
    tenants,
    logger,
    ...(webApp
      ? {
          webApp: {
            dir: webAppDir,
            config: { graphqlUrl: "/graphql", ...(embedded ? { apiKey: env.demoApiKey } : {}) },
          },
        }
      : {}),
    ...(metrics ? { metrics } : {}),
    ...(tracing ? { tracing: tracing.provider } : {}),
    introspection: env.introspection,
    graphiql: env.graphiql
      ? {
          ...(tabs ? { tabs } : {}),
          ...(embedded ? { headers: JSON.stringify({ Authorization: `Bearer ${env.demoApiKey}` }) } : {}),
        }
      : false,
    limits: {
      bodyBytes: env.maxBodyBytes,
      vendorBytes: env.vendorBytesPerRequest,
      vendorBytesInFlight: env.vendorBytesInFlight,
    },
    requestTimeoutMs: env.requestTimeoutMs,
    redisUrl: env.redisUrl,
    idempotencyTtlMs: env.idempotencyTtlMs,
    idempotencyLocalFallback: env.idempotencyLocalFallback,
    idempotencyMemoryBytes: env.idempotencyMemoryBytes,
    cursorSecret: env.cursorSecret,
  });
  // Finds out now whether Redis answers, so a degraded start shows in the log and /readyz at once.
  await app.store.ping();
  const server = await startServer({
    app,
    port: env.port,
    host: env.host,
    headersTimeoutMs: env.headersTimeoutMs,
    requestTimeoutMs: env.bodyTimeoutMs,
    maxConnections: env.maxConnections,
    drainDelayMs: env.drainDelayMs,
    shutdownGraceMs: env.shutdownGraceMs,
  }).catch((error: unknown) => {
    throw portTaken(error, "PORT");
  });
  const metricsServer =
    metrics && env.metrics
      ? await startMetricsServer(metrics, env.metrics).catch((error: unknown) => {
          throw portTaken(error, "TASKBRIDGE_METRICS_PORT");
        })
      : undefined;
  const url = `${server.origin}/graphql`;
  logger.info(
    {
      url,
      mode: embedded ? "embedded" : "production",
      tenants: tenants.map((t) => t.id),
      sandbox: sandboxOrigins,
      store: env.redisUrl ? "redis" : "memory",
      metrics: metricsServer ? `${metricsServer.origin}/metrics` : "off",
      tracing: tracing ? "on" : "off",
    },
    "listening",
  );
  const appUrl = webApp ? `${server.origin}/app/` : undefined;
  if (embedded) printBanner(url, appUrl, env.demoApiKey, curlTaskId, sandboxOrigins);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: stop waiting
    stopping = true;
    logger.info({ signal }, "shutting down");
    server
      .close()
      .then(() => Promise.all([sandbox?.close(), metricsServer?.close(), tracing?.shutdown()]))
      .then(() => {
        logger.info("stopped");
        logger.flush();
        process.exitCode = 0;
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush();
        process.exitCode = 1;
      });
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

function printBanner(
  url: string,
  appUrl: string | undefined,
  apiKey: string,
  maxsightTaskId: string,
  sandbox: Record<string, string>,
): void {
  const body = JSON.stringify({
    query: `{ task(vendor: MAXSIGHT, id: "${maxsightTaskId}") { id status title } }`,
  });
  process.stdout.write(
    [
      "",
      "Taskbridge GraphQL is running with the sandbox vendors embedded (demo tenant).",
      `  GraphiQL:  ${url}   (examples for every vendor, lists and actions included, are preloaded)`,
      ...(appUrl ? [`  Web app:   ${appUrl}   (the example client app, on @taskbridge/client)`] : []),
      `  API key:   ${apiKey}   (send it as: Authorization: Bearer ${apiKey})`,
      "  Try:",
      `    curl -s ${url} -H 'authorization: Bearer ${apiKey}' -H 'content-type: application/json' \\`,
      `      -d '${body}'`,
      `  Sandbox vendors (faults: POST <origin>/__sandbox/faults): ${Object.entries(sandbox)
        .map(([vendor, origin]) => `${vendor} ${origin}`)
        .join(", ")}`,
      "",
      "",
    ].join("\n"),
  );
}

/** The tenants file; one that cannot be read is named by the full path tried (npm scripts run from the repo root). */
function readConfigFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message.split(",")[0] : String(error);
    throw new Error(`TASKBRIDGE_CONFIG: cannot read ${resolve(path)} (${reason})`);
  }
}

/** A taken port is the likeliest failure to start on a shared machine: the message names the variable that moves it. */
function portTaken(error: unknown, variable: string): unknown {
  const { code, address, port } = error as { code?: unknown; address?: unknown; port?: unknown };
  if (code !== "EADDRINUSE") return error;
  return new Error(
    `${address}:${port} is already in use; stop what listens there, or choose another port with ${variable}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`taskbridge failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
