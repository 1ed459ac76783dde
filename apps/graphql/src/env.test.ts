import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "./env.ts";

/** The EnvError that reading `values` throws. */
function refused(values: Record<string, string>): EnvError {
  try {
    readEnv(values);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("readEnv", () => {
  it("defaults to embedded development mode", () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      production: false,
      port: 4000,
      host: "127.0.0.1",
      introspection: true,
      graphiql: true,
      demoApiKey: "tb_demo_key",
      maxBodyBytes: 102_400,
      configPath: undefined,
    });
  });

  it("turns introspection and GraphiQL off in production unless enabled", () => {
    const env = readEnv({ NODE_ENV: "production", TASKBRIDGE_CONFIG: "/etc/taskbridge.json" });
    expect(env).toMatchObject({ production: true, host: "0.0.0.0", introspection: false, graphiql: false });
    const enabled = readEnv({
      NODE_ENV: "production",
      TASKBRIDGE_CONFIG: "/etc/taskbridge.json",
      TASKBRIDGE_INTROSPECTION: "true",
    });
    expect(enabled.introspection).toBe(true);
  });

  it("needs a cursor secret shared by every instance when there are several (a Redis URL)", () => {
    expect(readEnv({}).cursorSecret).toBeUndefined();
    const redis = { TASKBRIDGE_REDIS_URL: "redis://127.0.0.1:6379" };
    expect(() => readEnv(redis)).toThrow(/TASKBRIDGE_CURSOR_SECRET: required with TASKBRIDGE_REDIS_URL/);
    expect(() => readEnv({ ...redis, TASKBRIDGE_CURSOR_SECRET: "short" })).toThrow(/at least 32 characters/);
    const secret = "a-cursor-secret-of-at-least-32-characters";
    expect(readEnv({ ...redis, TASKBRIDGE_CURSOR_SECRET: secret }).cursorSecret).toBe(secret);
  });

  it("reports every bad variable at once", () => {
    const { issues } = refused({ PORT: "http", LOG_LEVEL: "loud", NODE_ENV: "production", TASKBRIDGE_GRAPHIQL: "yes" });
    for (const name of ["PORT", "LOG_LEVEL", "TASKBRIDGE_GRAPHIQL", "TASKBRIDGE_CONFIG"]) {
      expect(issues.some((issue) => issue.startsWith(name))).toBe(true);
    }
  });

  it("reads the reliability settings: Redis URL, request deadline, idempotency TTL (at least 24 h) and memory", () => {
    expect(readEnv({})).toMatchObject({
      redisUrl: undefined,
      requestTimeoutMs: 10_000,
      idempotencyTtlMs: 86_400_000,
      idempotencyLocalFallback: false,
      idempotencyMemoryBytes: 256 * 1024 * 1024,
    });
    const env = readEnv({
      TASKBRIDGE_REDIS_URL: "redis://127.0.0.1:6379/2",
      TASKBRIDGE_CURSOR_SECRET: "a-cursor-secret-of-at-least-32-characters",
      TASKBRIDGE_REQUEST_TIMEOUT_MS: "3000",
      TASKBRIDGE_IDEMPOTENCY_TTL_HOURS: "48",
      TASKBRIDGE_IDEMPOTENCY_LOCAL_FALLBACK: "true",
      TASKBRIDGE_IDEMPOTENCY_MEMORY_MB: "64",
    });
    expect(env).toMatchObject({
      redisUrl: "redis://127.0.0.1:6379/2",
      requestTimeoutMs: 3_000,
      idempotencyTtlMs: 172_800_000,
      idempotencyLocalFallback: true,
      idempotencyMemoryBytes: 64 * 1024 * 1024,
    });
    const { issues } = refused({
      TASKBRIDGE_REDIS_URL: "http://user:s3cret@host",
      TASKBRIDGE_IDEMPOTENCY_TTL_HOURS: "1",
      TASKBRIDGE_IDEMPOTENCY_MEMORY_MB: "0",
    });
    expect(issues.map((issue) => issue.split(":")[0]).sort()).toEqual([
      "TASKBRIDGE_IDEMPOTENCY_MEMORY_MB",
      "TASKBRIDGE_IDEMPOTENCY_TTL_HOURS",
      "TASKBRIDGE_REDIS_URL",
    ]);
    expect(issues.join("\n")).not.toContain("s3cret");
  });

  it("looks up variables named by the config file", () => {
    expect(readEnv({ ACME_KEY: "v" }).lookup("ACME_KEY")).toBe("v");
  });
});
