import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerKey, ConfigError, connectionSecrets, digestKey, resolveConfig, tenantIndex } from "./tenants.ts";

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
    // Resolved by the vendor's own schema: its defaults come with it.
    expect(tenants[0]?.connections.maxai).toEqual({
      baseUrl: "https://api.maxcare.ai",
      apiKey: "max_prd_ak_x",
      organizationId: "org_1",
    });
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

  it("reports a secret's problems together with the file's others, not on the next run", () => {
    const config = {
      tenants: [
        {
          id: "t",
          apiKeys: ["tb_key_0123"],
          connections: {
            maxai: { baseUrl: "https://api.maxcare.ai/v2", apiKey: { env: "UNSET_VAR" }, organizationId: "org_1" },
            capy: { token: "has space" },
          },
        },
      ],
    };
    const error = (() => {
      try {
        resolveConfig(config, env({}));
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      "tenants.0.connections.maxai.baseUrl: must not end with the API version (/v2): the client adds it; give https://api.maxcare.ai",
      "tenants.0.connections.maxai.apiKey: environment variable UNSET_VAR is not set",
      "tenants.0.connections.capy.token: must not contain white space",
    ]);
    expect(error.message).not.toContain("has space");
  });

  it("refuses a caller key that `Authorization: Bearer <key>` cannot carry, literal or from the environment", () => {
    const config = {
      tenants: [{ id: "t", apiKeys: ["tb key", { env: "KEY" }, "tb_good_key"], connections: {} }],
    };
    const error = (() => {
      try {
        resolveConfig(config, env({ KEY: "tb\tkey" }));
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    const rule = "1–256 printable ASCII characters without white space (sent as `Bearer <key>`)";
    expect(error.issues).toEqual([`tenants.0.apiKeys.0: ${rule}`, `tenants.0.apiKeys.1: ${rule}`]);
    expect(error.message).not.toContain("tb key");
    expect(error.message).not.toContain("tb\tkey");
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

describe("resolveConfig: each connection by its vendor's schema", () => {
  /** The ConfigError that resolving one tenant with these connections throws. */
  function refused(connections: Record<string, unknown>, values: Record<string, string> = {}): ConfigError {
    try {
      resolveConfig({ tenants: [{ id: "t", apiKeys: ["k"], connections }] }, env(values));
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error("expected a ConfigError");
  }

  it("refuses a Cakewalk connection without apiSecret: the vendor requires X-API-SECRET on every call", () => {
    const error = refused({ cakewalk: { apiKey: "ck_key" } });
    expect(error.issues).toEqual(["tenants.0.connections.cakewalk.apiSecret: missing"]);
  });

  it("checks a secret from the environment by the vendor's rule, naming the path and never the value", () => {
    const error = refused({ capy: { token: { env: "CAPY_TOKEN" } } }, { CAPY_TOKEN: "capy_a b" });
    expect(error.issues).toEqual(["tenants.0.connections.capy.token: must not contain white space"]);
    expect(error.message).not.toContain("capy_a b");
  });

  it("applies the one baseUrl rule: no API version, with the URL to give instead", () => {
    const error = refused({ maxsight: { baseUrl: "https://api.eu.maxsight.com/v5", apiKey: "k" } });
    expect(error.issues).toEqual([
      "tenants.0.connections.maxsight.baseUrl: must not end with the API version (/v5): the client adds it; give https://api.eu.maxsight.com",
    ]);
  });

  it("refuses a vendor the service does not serve, and a field its vendor does not have", () => {
    const error = refused({ jira: { token: "t" }, maxai: { apiKey: "k", organizationId: "o", region: "eu" } });
    expect(error.issues).toEqual([
      'tenants.0.connections.maxai: Unrecognized key: "region"',
      'tenants.0.connections: Unrecognized key: "jira"',
    ]);
  });

  it("keeps the options every connection has", () => {
    const [tenant] = resolveConfig(
      {
        tenants: [
          {
            id: "t",
            apiKeys: ["k"],
            connections: {
              cakewalk: {
                apiKey: "ck_key",
                apiSecret: { env: "CK_SECRET" },
                http: { timeouts: { totalMs: 8000 }, connections: 4 },
                rateLimit: false,
                listScope: "87911b97-ac98-459f-b012-8964894247b6",
              },
            },
          },
        ],
      },
      env({ CK_SECRET: "ck_secret" }),
    );
    expect(tenant?.connections.cakewalk).toEqual({
      baseUrl: "https://open-api.getcakewalk.io",
      apiKey: "ck_key",
      apiSecret: "ck_secret",
      http: { timeouts: { totalMs: 8000 }, connections: 4 },
      rateLimit: false,
      listScope: "87911b97-ac98-459f-b012-8964894247b6",
    });
    expect(connectionSecrets(tenant?.connections ?? {})).toEqual(["ck_key", "ck_secret"]);
  });

  it("takes a listScope only where the vendor's listings need one", () => {
    const error = refused({ maxai: { apiKey: "k", organizationId: "o", listScope: "anything" } });
    expect(error.issues).toEqual(["tenants.0.connections.maxai.listScope: Max AI lists tasks without a scope"]);
  });

  it("checks a listScope by the vendor's own id rule, at start-up rather than on every page", () => {
    const error = refused({ cakewalk: { apiKey: "ck_key", apiSecret: "ck_secret", listScope: "jane@example.com" } });
    expect(error.issues).toEqual([
      "tenants.0.connections.cakewalk.listScope: a Cakewalk user id: expected a UUID (8-4-4-4-12 hex digits, any case), e.g. 3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10",
    ]);
    // Capy documents no form for project ids: any is taken.
    const [tenant] = resolveConfig(
      { tenants: [{ id: "t", apiKeys: ["k"], connections: { capy: { token: "capy_t", listScope: "proj-7" } } }] },
      env({}),
    );
    expect(tenant?.connections.capy?.listScope).toBe("proj-7");
  });
});

describe("tenantIndex", () => {
  const tenants = [
    { id: "a", keyDigests: [digestKey("key-a")] },
    { id: "b", keyDigests: [digestKey("key-b1"), digestKey("key-b2")] },
  ];
  it("matches any of a tenant's keys, and nothing else", () => {
    const findTenant = tenantIndex(tenants);
    expect(findTenant("key-a")?.id).toBe("a");
    expect(findTenant("key-b2")?.id).toBe("b");
    expect(findTenant("key-b")).toBeUndefined();
    expect(findTenant("")).toBeUndefined();
    expect(findTenant("key-a".repeat(100))).toBeUndefined();
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
