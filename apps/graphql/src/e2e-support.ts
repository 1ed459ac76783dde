/** Test harness for the e2e tests: the real sandbox, the real app, a real HTTP server on an OS-picked port. */
import { type Sandbox, startSandbox, VENDORS } from "@taskbridge/sandbox";
import { type AppOptions, createApp } from "./app.ts";
import { demoConfig } from "./embedded.ts";
import { createLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./server.ts";
import { connectionSecrets, resolveConfig, type TaskbridgeConfigInput } from "./tenants.ts";

export const TEST_KEY = "tb_test_key_0123456789";

/** Short deadlines so hang faults end quickly. */
export const TEST_TIMEOUTS = { connectMs: 1_000, headersMs: 400, bodyMs: 400, totalMs: 1_500 };

export interface GqlResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
  text: string;
}

export interface Stack {
  sandbox: Sandbox;
  server: RunningServer;
  url: string;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  /** Every vendor credential configured in the stack's tenants. */
  secrets: string[];
  gql(query: string, options?: { variables?: Record<string, unknown>; key?: string | null }): Promise<GqlResult>;
  /** Requests all four simulators received since their logs were last cleared. */
  vendorCalls(): number;
  close(): Promise<void>;
}

/** The demo tenant against `sandbox`, with TEST_KEY and short deadlines on every connection. */
export function testConfig(sandbox: Sandbox, key = TEST_KEY, id = "test"): TaskbridgeConfigInput {
  const config = demoConfig(sandbox, key);
  const tenant = config.tenants[0];
  if (!tenant) throw new Error("demo config has no tenant");
  tenant.id = id;
  for (const connection of Object.values(tenant.connections)) {
    if (connection) connection.http = { timeouts: TEST_TIMEOUTS };
  }
  return config;
}

export async function startStack(
  options: {
    sandbox?: Sandbox;
    config?: (sandbox: Sandbox) => TaskbridgeConfigInput;
    app?: Partial<Omit<AppOptions, "tenants" | "logger">>;
    /** Default debug: every line is kept in `logs`. Load tests pass "warn". */
    logLevel?: string;
  } = {},
): Promise<Stack> {
  const sandbox = options.sandbox ?? (await startSandbox());
  const tenants = resolveConfig((options.config ?? testConfig)(sandbox), () => undefined);
  const secrets = tenants.flatMap((tenant) => connectionSecrets(tenant.connections));
  const logs: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? "debug",
    secrets,
    destination: { write: (line: string) => logs.push(line) },
  });
  const app = createApp({ tenants, logger, introspection: true, graphiql: false, ...options.app });
  const server = await startServer({ app, logger, port: 0, maxBodyBytes: 100 * 1024, shutdownGraceMs: 2_000 });
  const url = `${server.origin}/graphql`;
  return {
    sandbox,
    server,
    url,
    logs,
    secrets,
    async gql(query, { variables, key = TEST_KEY } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
    },
    vendorCalls: () => VENDORS.reduce((sum, vendor) => sum + sandbox.vendors[vendor].requests.count(), 0),
    async close() {
      await server.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}
