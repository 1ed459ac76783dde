import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRedisServer } from "@taskbridge/http/test-support";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { closedPort, type Stack, startStack, testConfig } from "./e2e-support.ts";

/** `npm start` runs `pnpm --filter @taskbridge/graphql start`, i.e. this entry point. */
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

/** Runs the entry point, or the given command from the repository's root. */
function run(env: Record<string, string>, command: string[] = [process.execPath, MAIN]): Running {
  const [file = "", ...args] = command;
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = output.match(pattern);
        if (match) return resolve(match);
        waiters.push({ pattern, resolve });
        child.once("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${output}`)));
      }),
  };
}

async function stop(running: Running): Promise<number | null> {
  const exited = once(running.child, "exit");
  running.child.kill("SIGTERM");
  const [code] = await exited;
  return code as number | null;
}

async function post(url: string, key: string, query: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe("main (npm start)", () => {
  it("--check (npm run check-connections): reports every vendor connection and Redis, exits 1 on a failure", async () => {
    const running = run(
      {
        NODE_ENV: "development",
        TASKBRIDGE_REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
        TASKBRIDGE_CURSOR_SECRET: "c".repeat(32),
      },
      [process.execPath, MAIN, "--check"],
    );
    const [code] = await once(running.child, "exit");
    expect(code).toBe(1);
    const lines = running.output().trim().split("\n");
    expect(lines.filter((line) => /^ok {4}\S+ \/ (maxai|cakewalk|capy|maxsight): reachable/.test(line))).toHaveLength(
      4,
    );
    expect(lines).toContain("FAIL  all tenants / redis: cannot connect (ECONNREFUSED)");
  });

  it("with no config: starts the sandbox and a demo tenant, prints URL and key, serves every vendor", async () => {
    const running = run({ NODE_ENV: "development" });
    try {
      const [, url] = await running.waitFor(/GraphiQL:\s+(http:\/\/\S+\/graphql)/);
      const [, key] = await running.waitFor(/API key:\s+(\S+)/);
      expect(key).toBe("tb_demo_key");
      expect(running.output()).toContain(`curl -s ${url} -H 'authorization: Bearer tb_demo_key'`);
      const queries = {
        MAX_AI: "tsk_a1b2c3d456784abc9def0123456789ab",
        CAKEWALK: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        CAPY: "550e8400-e29b-41d4-a716-446655440000",
        MAXSIGHT: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      };
      for (const [vendor, id] of Object.entries(queries)) {
        const { body } = await post(
          url as string,
          key as string,
          `{ task(vendor: ${vendor}, id: "${id}") { vendor vendorId status } }`,
        );
        expect(body).toEqual({ data: { task: { vendor, vendorId: id, status: expect.any(String) } } });
      }
      const page = await fetch(url as string, { headers: { accept: "text/html" } });
      const html = await page.text();
      for (const op of ["MaxAiTask", "CakewalkTask", "CapyTask", "MaxsightTask", "CreateMaxAiTask", "CreateCapyTask"]) {
        expect(html).toContain(op);
      }
    } finally {
      expect(await stop(running)).toBe(0);
    }
    expect(running.output()).toMatch(/"msg":"stopped"/);
  });

  it("with TASKBRIDGE_CONFIG: production mode against the configured vendor URLs, no sandbox of its own", async () => {
    const vendors = await startSandbox();
    const { maxai } = vendors.vendors;
    const { dir, env } = productionConfig(vendors);
    const running = run(env);
    try {
      const [, url] = await running.waitFor(/"url":"(http:\/\/[^"]+)"/);
      const { body } = await post(
        url as string,
        "tb_acme_production_key",
        `{ task(vendor: MAX_AI, id: "${maxai.seed.example.v4TaskId}") { vendorId } }`,
      );
      expect(body.data.task.vendorId).toBe(maxai.seed.example.v4TaskId);
      expect(maxai.requests.count()).toBe(1);
      const capy = await post(
        url as string,
        "tb_acme_production_key",
        `{ task(vendor: CAPY, id: "${vendors.vendors.capy.seed.example.taskId}") { id } }`,
      );
      expect(capy.body.errors[0].extensions.code).toBe("VENDOR_NOT_CONFIGURED");
      const introspection = await post(url as string, "tb_acme_production_key", "{ __schema { queryType { name } } }");
      expect(introspection.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
      expect(running.output()).not.toContain("GraphiQL:");
      expect(running.output()).toContain('"mode":"production"');
      expect(running.output()).not.toContain(maxai.credentials.apiKey);
    } finally {
      expect(await stop(running)).toBe(0);
      await vendors.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start with a bad environment, naming every bad variable", async () => {
    const running = run({ NODE_ENV: "production", PORT: "http", LOG_LEVEL: "loud" });
    const [code] = await once(running.child, "exit");
    expect(code).toBe(1);
    for (const name of ["PORT", "LOG_LEVEL", "TASKBRIDGE_CONFIG"]) expect(running.output()).toContain(name);
  });

  it("names the tenants file it could not read, as the full path it tried", async () => {
    const running = run({ TASKBRIDGE_CONFIG: "no-such-tenants.json" });
    const [code] = await once(running.child, "exit");
    expect(code).toBe(1);
    expect(running.output()).toContain(
      `taskbridge failed to start: TASKBRIDGE_CONFIG: cannot read ${join(ROOT, "no-such-tenants.json")} (ENOENT: no such file or directory)\n`,
    );
  });

  it("says which variable to change when its port is taken (another `npm start`, say)", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const running = run({ PORT: String(port) });
      const [code] = await once(running.child, "exit");
      expect(code).toBe(1);
      expect(running.output()).toContain(
        `taskbridge failed to start: 127.0.0.1:${port} is already in use; stop what listens there, or choose another port with PORT`,
      );
    } finally {
      taken.close();
    }
  });

  it("npm run serve: a SIGTERM to npm reaches the service, which answers 503 on /readyz, drains and stops", async () => {
    const vendors = await startSandbox();
    const { dir, env } = productionConfig(vendors);
    // Only npm is signalled, as a supervisor does: the signal must pass through the toolchain's bootstrap and pnpm.
    const running = run({ ...env, TASKBRIDGE_DRAIN_DELAY_MS: "1000" }, ["npm", "run", "--silent", "serve"]);
    try {
      const [, url] = await running.waitFor(/"url":"(http:\/\/[^"]+)"/);
      const origin = new URL(url as string).origin;
      expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      const exited = once(running.child, "exit");
      running.child.kill("SIGTERM");
      await running.waitFor(/"msg":"shutting down"/);
      expect((await fetch(`${origin}/readyz`)).status).toBe(503);
      await exited; // npm itself ends by the signal it was sent, once its script has
      expect(running.output()).toMatch(/"msg":"stopped"/);
    } finally {
      running.child.kill("SIGKILL");
      await vendors.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SIGTERM while keyed writes are in flight (two instances sharing Redis)", () => {
  it("writes already sent are finished and recorded, then it exits; the one waiting for a slot is not sent", async () => {
    const vendors = await startSandbox();
    const redis = await startRedisServer();
    // One Max AI request a second: the second create waits for the first one's slot to free.
    const { dir, env } = productionConfig(vendors, { maxai: { rateLimit: { limit: 1, windowMs: 1_000 } }, capy: true });
    const running = run({
      ...env,
      TASKBRIDGE_REDIS_URL: redis.url,
      TASKBRIDGE_CURSOR_SECRET: "a-cursor-secret-of-32-characters",
      TASKBRIDGE_DRAIN_DELAY_MS: "0",
      TASKBRIDGE_SHUTDOWN_GRACE_MS: "200",
      // Past the test's timeout: the process must exit once the cut writes are done, not when their deadline passes.
      TASKBRIDGE_REQUEST_TIMEOUT_MS: "120000",
    });
    let other: Stack | undefined;
    try {
      const [, url] = await running.waitFor(/"url":"(http:\/\/[^"]+)"/);
      const { maxai, capy } = vendors.vendors;
      const creates = () => maxai.requests.count({ method: "POST" });
      const stops = () => capy.requests.count({ method: "POST", path: /\/stop$/ });
      // Both vendors take 1.5 s to act and answer, far past the shutdown's grace.
      maxai.faults.set({ match: { method: "POST" }, latencyMs: 1_500 });
      capy.faults.set({ match: { method: "POST" }, latencyMs: 1_500 });
      const { example } = maxai.seed;
      const runningTask = capy.seed.byStatus.in_progress?.[0] as string;
      const create = (key: string) => ({
        query: KEYED_CREATE,
        variables: {
          input: {
            maxAi: {
              noteId: example.noteId,
              providerId: example.providerId,
              notes: key,
              assigneeIds: [example.providerId],
            },
          },
          key,
        },
      });
      const stop = { query: KEYED_STOP, variables: { id: runningTask, key: "drain-stop" } };
      const send = (body: object) =>
        fetch(url as string, {
          method: "POST",
          headers: { authorization: `Bearer ${env.ACME_API_KEY}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const atVendor = send(create("drain-at-vendor"));
      const stopping = send(stop);
      await until(() => creates() === 1 && stops() === 1);
      const waiting = send(create("drain-waiting"));
      // Its idempotency record is claimed just before it asks for the rate-budget slot, which it must wait for.
      const peek = new Redis(redis.url);
      try {
        await vi.waitFor(async () => expect(await peek.exists("taskbridge:idem:acme:drain-waiting")).toBe(1), {
          timeout: 10_000,
          interval: 5,
        });
      } finally {
        peek.disconnect();
      }
      const exited = once(running.child, "exit");
      running.child.kill("SIGTERM");
      const cut = await Promise.allSettled([atVendor, stopping, waiting]);
      expect(cut.map((c) => c.status)).toEqual(["rejected", "rejected", "rejected"]);
      const [code] = await exited;
      expect(code).toBe(0);
      expect(creates()).toBe(1);

      // The retries go to the other instance behind the load balancer, which shares the Redis.
      maxai.faults.clear();
      capy.faults.clear();
      other = await startStack({
        sandbox: vendors,
        logLevel: "warn",
        config: (s) => testConfig(s, env.ACME_API_KEY, "acme"),
        app: { redisUrl: redis.url },
      });
      // A new instance opens its Redis connection on first use: the retries should not race that. A first command
      // too slow for the store's deadline leaves it degraded (in memory) until its probe finds Redis: "ready" again.
      const peer = other;
      await peer.app.store.ping();
      await vi.waitFor(
        async () =>
          expect(await (await fetch(`${peer.server.origin}/readyz`)).json()).toMatchObject({ status: "ready" }),
        { timeout: 10_000, interval: 20 },
      );
      const retry = async (body: { query: string; variables: Record<string, unknown> }) =>
        (await (other as Stack).gql(body.query, { variables: body.variables, key: env.ACME_API_KEY })).body;
      const atVendorRetry = await retry(create("drain-at-vendor"));
      expect(atVendorRetry.errors).toBeUndefined();
      expect(atVendorRetry.data.createTask.task.vendorId).toMatch(/^tsk_/);
      expect(creates()).toBe(1); // answered from its record
      // The stop's record holds the task as read back after it, not null: the read ran before the clients closed.
      const stopRetry = await retry(stop);
      expect(stopRetry.errors).toBeUndefined();
      expect(stopRetry.data.stopTask.task).toEqual({ vendorId: runningTask, status: expect.any(String) });
      expect(stops()).toBe(1);
      const waitingRetry = await retry(create("drain-waiting"));
      expect(waitingRetry.errors).toBeUndefined();
      expect(creates()).toBe(2); // sent now, once
    } finally {
      running.child.kill("SIGKILL");
      await other?.close();
      await vendors.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("tracing configured by the standard OTEL_* variables", () => {
  it.each([
    ["neither variable names it", {}, "taskbridge"],
    ["OTEL_RESOURCE_ATTRIBUTES names it", { OTEL_RESOURCE_ATTRIBUTES: "service.name=edge-eu,team=ops" }, "edge-eu"],
    [
      "OTEL_SERVICE_NAME wins over OTEL_RESOURCE_ATTRIBUTES",
      { OTEL_SERVICE_NAME: "edge-us", OTEL_RESOURCE_ATTRIBUTES: "service.name=edge-eu" },
      "edge-us",
    ],
  ])("exports spans over OTLP whose service.name is the standard one's: %s", async (_, names, serviceName) => {
    // A collector on loopback: OTLP over HTTP in JSON, every export kept.
    const exports: string[] = [];
    const collector = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => {
        exports.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    const running = run({
      NODE_ENV: "development",
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      ...names,
    });
    try {
      const [, url] = await running.waitFor(/GraphiQL:\s+(http:\/\/\S+\/graphql)/);
      expect((await post(url as string, "tb_demo_key", "{ __typename }")).status).toBe(200);
      expect(await stop(running)).toBe(0); // the SDK's shutdown exports what it holds
      const resources = exports.flatMap((text) =>
        JSON.parse(text).resourceSpans.map((r: { resource: unknown }) => r.resource),
      );
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        expect(resource).toMatchObject({
          attributes: expect.arrayContaining([{ key: "service.name", value: { stringValue: serviceName } }]),
        });
      }
    } finally {
      running.child.kill("SIGKILL");
      collector.close();
    }
  });
});

const KEYED_CREATE = `mutation($input: CreateTaskInput!, $key: String) {
  createTask(input: $input, idempotencyKey: $key) { task { vendorId } }
}`;
const KEYED_STOP = `mutation($id: ID!, $key: String) {
  stopTask(input: { vendor: CAPY, id: $id }, idempotencyKey: $key) { task { vendorId status } }
}`;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A tenants file for one Max AI connection to `vendors` (with `options.maxai`'s settings besides), and a Capy one
 * with `options.capy`; and the production environment that uses it.
 */
function productionConfig(vendors: Sandbox, options: { maxai?: Record<string, unknown>; capy?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "taskbridge-"));
  const config = join(dir, "taskbridge.json");
  const { maxai, capy } = vendors.vendors;
  const connection = {
    baseUrl: maxai.url,
    apiKey: { env: "ACME_MAXAI_KEY" },
    organizationId: maxai.credentials.organizationId,
    ...options.maxai,
  };
  const connections = {
    maxai: connection,
    ...(options.capy ? { capy: { baseUrl: capy.url, token: { env: "ACME_CAPY_TOKEN" } } } : {}),
  };
  writeFileSync(
    config,
    JSON.stringify({
      tenants: [{ id: "acme", apiKeys: [{ env: "ACME_API_KEY" }], connections }],
    }),
  );
  const env = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    TASKBRIDGE_CONFIG: config,
    ACME_API_KEY: "tb_acme_production_key",
    ACME_MAXAI_KEY: maxai.credentials.apiKey,
    ACME_CAPY_TOKEN: capy.credentials.token,
  };
  return { dir, env };
}
