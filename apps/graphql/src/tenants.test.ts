import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerKey, ConfigError, digestKey, findTenant, resolveConfig } from "./tenants.ts";

const env = (values: Record<string, string>) => (name: string) => values[name];

const valid = {
  tenants: [
    {
      id: "acme",
      apiKeys: ["tb_acme_key_1"],
      connections: {
        maxai: { apiKey: { env: "ACME_MAXAI_KEY" }, organizationId: "org_1" },
        maxsight: { region: "eu", apiKey: "ms_key" },
      },
    },
    {
      id: "globex",
      apiKeySha256: [createHash("sha256").update("tb_globex_key").digest("hex")],
      connections: { capy: { baseUrl: "https://capy.example/api", token: "capy_t" } },
    },
  ],
};

describe("resolveConfig", () => {
  it("resolves env secrets and key digests", () => {
    const tenants = resolveConfig(valid, env({ ACME_MAXAI_KEY: "max_prd_ak_x" }));
    expect(tenants.map((t) => t.id)).toEqual(["acme", "globex"]);
    expect(tenants[0]?.connections.maxai).toEqual({ apiKey: "max_prd_ak_x", organizationId: "org_1" });
    expect(tenants[0]?.connections.maxsight).toEqual({ region: "eu", apiKey: "ms_key" });
    expect(tenants[1]?.keyDigests[0]).toEqual(digestKey("tb_globex_key"));
  });

  it("reports every problem at once, naming paths and never values", () => {
    const bad = {
      tenants: [
        { id: "Bad Id", apiKeys: [], connections: { maxai: { apiKey: "max_secret_value" } } },
        { id: "x", apiKeys: ["k"], connections: { capy: { token: "t", extra: 1 } } },
      ],
    };
    const error = (() => {
      try {
        resolveConfig(bad, env({}));
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.length).toBeGreaterThanOrEqual(4);
    expect(error.message).toContain("tenants.0.id");
    expect(error.message).toContain("tenants.0.connections.maxai.organizationId");
    expect(error.message).toContain("tenants.0: a tenant needs at least one API key");
    expect(error.message).toContain("tenants.1.connections.capy");
    expect(error.message).not.toContain("max_secret_value");
  });

  it("reports missing environment variables, duplicate ids and shared keys", () => {
    const config = {
      tenants: [
        { id: "a", apiKeys: ["same-key"], connections: { capy: { token: { env: "MISSING" } } } },
        { id: "a", apiKeys: ["same-key"], connections: {} },
      ],
    };
    expect(() => resolveConfig(config, env({}))).toThrow(/duplicate tenant id/);
    const shared = { tenants: [config.tenants[0], { ...config.tenants[1], id: "b" }] };
    expect(() => resolveConfig(shared, env({}))).toThrow(/MISSING is not set[\s\S]*share an API key/);
  });
});

describe("findTenant", () => {
  const tenants = [
    { id: "a", keyDigests: [digestKey("key-a")] },
    { id: "b", keyDigests: [digestKey("key-b1"), digestKey("key-b2")] },
  ];
  it("matches any of a tenant's keys, and nothing else", () => {
    expect(findTenant(tenants, "key-a")?.id).toBe("a");
    expect(findTenant(tenants, "key-b2")?.id).toBe("b");
    expect(findTenant(tenants, "key-b")).toBeUndefined();
    expect(findTenant(tenants, "")).toBeUndefined();
    expect(findTenant(tenants, "key-a".repeat(100))).toBeUndefined();
  });
});

describe("bearerKey", () => {
  it("reads `Bearer <key>` only", () => {
    expect(bearerKey("Bearer abc")).toBe("abc");
    expect(bearerKey("bearer   abc ")).toBe("abc");
    expect(bearerKey("Basic abc")).toBeUndefined();
    expect(bearerKey("Bearer ")).toBeUndefined();
    expect(bearerKey("Bearer a b")).toBeUndefined();
    expect(bearerKey(null)).toBeUndefined();
    expect(bearerKey(`Bearer ${"x".repeat(2000)}`)).toBeUndefined();
  });
});
