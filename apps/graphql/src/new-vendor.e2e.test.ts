/**
 * Adding a vendor = one folder + one registry line. Acme lives only in test-support/vendor-acme (a vendor package in
 * miniature, with its API on loopback); the line is added here, to the registry module, and nowhere else.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type App, createApp } from "./app.ts";
import type { GqlResult } from "./e2e-support.ts";
import { createLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./server.ts";
import { ConfigError, type ResolvedTenant, resolveConfig } from "./tenants.ts";
import { type AcmeApi, type AcmeTicket, startAcmeApi } from "./test-support/vendor-acme/index.ts";
import { VENDORS } from "./vendors.ts";

vi.mock("./vendors.ts", async (importOriginal) => {
  const registry = await importOriginal<typeof import("./vendors.ts")>();
  const { descriptor: acme } = await import("./test-support/vendor-acme/index.ts");
  return { ...registry, VENDORS: [...registry.VENDORS, acme] };
});

const SHARED_TOKEN = "acme_shared_token_0001";
const WEST_TOKEN = "acme_west_token_0002";
const TICKET = "6f1d2c3b-4a59-4e8d-9c7b-0a1b2c3d4e5f";
/** A ticket whose subject echoes the token Acme was sent (a vendor's request summary). */
const ECHO = "7a2e3d4c-5b6a-4f9e-8d7c-1b2c3d4e5f60";
const MISSING = "00000000-0000-4000-8000-000000000000";
const KEYS = {
  north: "tb_north_key_0001",
  south: "tb_south_key_0002",
  west: "tb_west_key_0003",
  east: "tb_east_key_04",
};

let api: AcmeApi;

beforeAll(async () => {
  api = await startAcmeApi([SHARED_TOKEN, WEST_TOKEN]);
  api.tickets.set(TICKET, {
    id: TICKET,
    subject: "Replace the lobby door",
    state: "doing",
    opened_at: "2026-03-20T18:35:10.209Z",
    changed_at: "2026-03-21 09:00:00+01",
    board: "facilities",
    points: 3,
  });
  api.tickets.set(ECHO, { ...(api.tickets.get(TICKET) as AcmeTicket), id: ECHO, subject: `sent ${SHARED_TOKEN}` });
});
afterAll(() => api.close());
afterEach(() => {
  api.requests.length = 0;
});

/**
 * North and south share one Acme token (from the environment), west has its own, east one Acme refuses. The token
 * comes from ACME_TOKEN through `{ "env": … }`, like any vendor's secret.
 */
function config() {
  const tenant = (id: keyof typeof KEYS, token: unknown) => ({
    id,
    apiKeys: [KEYS[id]],
    connections: { acme: { baseUrl: `${api.url}/`, token } },
  });
  return {
    tenants: [
      tenant("north", { env: "ACME_TOKEN" }),
      tenant("south", { env: "ACME_TOKEN" }),
      tenant("west", WEST_TOKEN),
      tenant("east", "acme_not_a_known_token"),
    ],
  };
}
const lookupEnv = (name: string) => (name === "ACME_TOKEN" ? SHARED_TOKEN : undefined);

interface Stack {
  app: App;
  server: RunningServer;
  logs: string[];
  gql(key: string, query: string): Promise<GqlResult>;
  close(): Promise<void>;
}

/** The real service over real HTTP, for the config above; each stack has its own (in-memory) rate budgets. */
async function startStack(tenants: ResolvedTenant[]): Promise<Stack> {
  const logs: string[] = [];
  const secrets = [SHARED_TOKEN, WEST_TOKEN];
  const logger = createLogger({ level: "debug", secrets, destination: { write: (line: string) => logs.push(line) } });
  // Acme publishes 3 requests a minute; a request may spend all of them here (the per-request share is tested apart).
  const app = createApp({ tenants, logger, introspection: true, graphiql: false, budget: { rateShare: 1 } });
  const server = await startServer({ app, port: 0 });
  return {
    app,
    server,
    logs,
    async gql(key, query) {
      const response = await fetch(`${server.origin}/graphql`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
    },
    close: () => server.close(),
  };
}

const TASK = (id: string) => `{
  task(vendor: ACME, id: "${id}") {
    __typename id vendor vendorId title description status vendorStatus createdAt updatedAt raw
    assignedProviders { id }
    ... on GenericTask { details }
  }
}`;

describe("config", () => {
  it("accepts an Acme connection, its secret from the environment, checked by Acme's own schema", () => {
    const tenants = resolveConfig(config(), lookupEnv);
    expect(tenants.map((t) => t.connections.acme)).toEqual([
      { baseUrl: api.url, token: SHARED_TOKEN },
      { baseUrl: api.url, token: SHARED_TOKEN },
      { baseUrl: api.url, token: WEST_TOKEN },
      { baseUrl: api.url, token: "acme_not_a_known_token" },
    ]);
  });

  it("refuses what Acme's schema refuses, naming the path and never the secret", () => {
    const refused = (connections: unknown[], values: (name: string) => string | undefined) => {
      const tenants = connections.map((acme, i) => ({ id: `t${i}`, apiKeys: [`key${i}`], connections: { acme } }));
      try {
        resolveConfig({ tenants }, values);
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
      throw new Error("expected a ConfigError");
    };
    const shape = refused(
      [{ baseUrl: `${api.url}/v1`, token: { env: "ACME_TOKEN" } }, { baseUrl: api.url }],
      lookupEnv,
    );
    expect(shape.issues).toEqual([
      `tenants.0.connections.acme.baseUrl: must not end with the API version (/v1): the client adds it; give ${api.url}`,
      "tenants.1.connections.acme.token: missing",
    ]);
    const secrets = refused(
      [
        { baseUrl: api.url, token: { env: "NOT_SET" } },
        { baseUrl: api.url, token: { env: "ACME_TOKEN" } },
      ],
      (name) => (name === "ACME_TOKEN" ? `${SHARED_TOKEN} x` : undefined),
    );
    expect(secrets.issues).toEqual([
      "tenants.0.connections.acme.token: environment variable NOT_SET is not set",
      "tenants.1.connections.acme.token: must not contain white space",
    ]);
    expect(secrets.message).not.toContain(SHARED_TOKEN);
  });
});

describe("reads through the GraphQL service", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(resolveConfig(config(), lookupEnv));
  });
  afterAll(() => stack.close());

  it("lists ACME in the Vendor enum", async () => {
    const { body } = await stack.gql(KEYS.north, '{ __type(name: "Vendor") { enumValues { name description } } }');
    expect(body.data.__type.enumValues).toContainEqual({
      name: "ACME",
      description: "Acme (a vendor that lives only in the tests).",
    });
    expect(body.data.__type.enumValues.map((v: { name: string }) => v.name).sort()).toEqual(
      [...VENDORS.map((v) => v.publicName)].sort(),
    );
  });

  it("reads an Acme task over HTTP as a GenericTask, with Acme's token and nothing else", async () => {
    const { status, body } = await stack.gql(KEYS.north, TASK(TICKET.toUpperCase()));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const ticket = api.tickets.get(TICKET);
    expect(body.data.task).toEqual({
      __typename: "GenericTask",
      id: `acme:${TICKET}`,
      vendor: "ACME",
      vendorId: TICKET,
      title: "Replace the lobby door",
      description: null,
      status: "IN_PROGRESS",
      vendorStatus: "doing",
      createdAt: "2026-03-20T18:35:10.209Z",
      updatedAt: "2026-03-21T08:00:00.000Z",
      raw: ticket,
      assignedProviders: [],
      details: { board: "facilities", points: 3 },
    });
    expect(api.requests).toEqual([{ method: "GET", path: `/v1/tickets/${TICKET}`, token: SHARED_TOKEN }]);
  });

  it("answers null for a task Acme does not have, and reads Acme refs in a batch", async () => {
    expect((await stack.gql(KEYS.west, TASK(MISSING))).body).toEqual({ data: { task: null } });
    const { body } = await stack.gql(
      KEYS.west,
      `{ tasks(refs: [{ vendor: ACME, id: "${TICKET}" }, { vendor: ACME, id: "nope" }]) {
          ref { vendor id } task { id } error { code vendor message } } }`,
    );
    expect(body.data.tasks).toEqual([
      { ref: { vendor: "ACME", id: TICKET }, task: { id: `acme:${TICKET}` }, error: null },
      {
        ref: { vendor: "ACME", id: "nope" },
        task: null,
        error: { code: "BAD_USER_INPUT", vendor: "ACME", message: "id: expected an Acme ticket UUID" },
      },
    ]);
    expect(api.requests.map((r) => r.token)).toEqual([WEST_TOKEN, WEST_TOKEN]);
  });

  it("names Acme in its errors", async () => {
    const { body } = await stack.gql(KEYS.east, TASK(TICKET));
    expect(body.data).toEqual({ task: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: "Acme rejected the credentials configured for this tenant (HTTP 401).",
        extensions: { code: "VENDOR_AUTH_FAILED", vendor: "ACME", upstreamStatus: 401, requestId: expect.any(String) },
      }),
    ]);
    const { body: unconfigured } = await stack.gql(KEYS.north, '{ task(vendor: CAPY, id: "x") { id } }');
    expect(unconfigured.errors[0]).toMatchObject({ extensions: { code: "VENDOR_NOT_CONFIGURED", vendor: "CAPY" } });
  });

  it("takes Acme's token out of its answers, though Acme sends it in a header of its own", async () => {
    const { text, body } = await stack.gql(KEYS.north, TASK(ECHO));
    expect(body.data.task).toMatchObject({ title: "sent [redacted]", raw: { subject: "sent [redacted]" } });
    expect(text).not.toContain(SHARED_TOKEN);
  });

  it("keeps Acme's token out of every log line", () => {
    expect(stack.app.secrets).toEqual(expect.arrayContaining([SHARED_TOKEN, WEST_TOKEN]));
    expect(stack.logs.length).toBeGreaterThan(0);
    for (const line of stack.logs) {
      expect(line).not.toContain(SHARED_TOKEN);
      expect(line).not.toContain(WEST_TOKEN);
    }
  });
});

describe("rate budget", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(resolveConfig(config(), lookupEnv));
  });
  afterAll(() => stack.close());

  it("is Acme's published limit, keyed by its credential: tenants sharing a token share one budget", async () => {
    const read = async (key: string) => (await stack.gql(key, TASK(TICKET))).body;
    // Acme publishes 3 requests a minute per token: north and south spend the shared token's three together.
    for (const key of [KEYS.north, KEYS.south, KEYS.north]) expect((await read(key)).errors).toBeUndefined();
    const refused = await read(KEYS.south);
    expect(refused.data).toEqual({ task: null });
    expect(refused.errors[0].message).toMatch(
      /^Taskbridge's request budget for Acme is used up\. Retry after \d+ s\.$/,
    );
    expect(refused.errors[0].extensions).toMatchObject({
      code: "RATE_LIMITED",
      vendor: "ACME",
      limitedBy: "taskbridge",
    });
    // West's own token has its own budget.
    expect((await read(KEYS.west)).errors).toBeUndefined();
    expect(api.requests.map((r) => r.token)).toEqual([SHARED_TOKEN, SHARED_TOKEN, SHARED_TOKEN, WEST_TOKEN]);
  });
});
