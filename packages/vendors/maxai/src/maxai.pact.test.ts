import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import {
  encodePosition,
  type MaxAiCreateTaskInput,
  VendorBadRequestError,
  type VendorError,
  VendorForbiddenError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";

const { eachLike, integer, like, regex } = MatchersV3;

const dir = fileURLToPath(new URL("../../../../pact/pacts", import.meta.url));
const pactFile = `${dir}/taskbridge-maxai.json`;

// Contract credentials: the sandbox is started with exactly these for provider verification.
const API_KEY = "max_dev_ak_contract_test";
const REVOKED_KEY = "max_dev_ak_revoked";
const ORG = "org_contract_test";

// Fixed example ids (seed 000 / 001) so the pact file is the same on every run.
const TASK_UUID = "a1b2c3d4-5678-4abc-9def-0123456789ab";
const TASK_V4 = "tsk_a1b2c3d456784abc9def0123456789ab";
const MISSING_TASK_UUID = "0b0c0d0e-0f10-4a11-8b12-131415161718";
const NOTE_UUID = "3cc73cb6-9c59-403c-a910-8af6c5693b25";
const NOTE_V4 = "nte_3cc73cb69c59403ca9108af6c5693b25";
const MISSING_NOTE_V4 = "nte_0f0e0d0c0b0a49088f0e0d0c0b0a0908";
const PROVIDER_UUID = "d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f8a";
const PROVIDER_V4 = "prv_d4e5f6a7b8c94d0e1f2a3b4c5d6e7f8a";
const MISSING_PROVIDER_V4 = "prv_9a8b7c6d5e4f40318e2d1c0b0a090807";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const HEX32 = "[0-9a-f]{32}";
// Postgres text timestamps: space separator, 0–6 fraction digits, `+00` style offset.
const PG_TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?[+-]\\d{2}(:?\\d{2})?$";

const uuid = (example: string) => regex(`^${UUID}$`, example);
const v4Id = (prefix: string, example: string) => regex(`^${prefix}_${HEX32}$`, example);
const pgTimestamp = (example: string) => regex(PG_TIMESTAMP, example);

function authHeaders(apiKey = API_KEY): Record<string, MatchersV3.Matcher<string>> {
  return {
    Authorization: regex("^Bearer \\S+$", `Bearer ${apiKey}`),
    "X-Organization-Id": regex("^\\S+$", ORG),
  };
}

const RETRY_AFTER = { "Retry-After": regex("^\\d+$", "30") };
/** X-RateLimit-* (docs.maxcare.ai/guides/rate-limits): only the v4 transcription declares them, see getPerson. */
const RATE_LIMIT_HEADERS = {
  ...RETRY_AFTER,
  "X-RateLimit-Limit": regex("^\\d+$", "1000"),
  "X-RateLimit-Remaining": regex("^0$", "0"),
  "X-RateLimit-Reset": regex("^\\d+$", "1774031740"),
};
const RATE_LIMITED = errorBody("rate_limit_exceeded", "Rate limit exceeded. Maximum 1000 requests per 60 seconds.");

/** The documented error envelope; `code` is exact because the client maps it to the error kind. */
function errorBody(code: string, message: string) {
  return { code, message: like(message), trace_id: like("550e8400-e29b-41d4-a716-446655440000") };
}

/** A provider as the task embeds it (v2 dashed ids) or as v4 returns it (prv_ ids): only the fields we read. */
function provider(id: MatchersV3.Matcher<string>) {
  return {
    id,
    firstName: like("James"),
    lastName: like("Wilson"),
    displayFirstName: like("Dr. James"),
    displayLastName: like("Wilson, MD"),
    username: like("jwilson"),
    roles: eachLike("Physician"),
  };
}

function taskBody(ids: {
  task: MatchersV3.Matcher<string>;
  note: MatchersV3.Matcher<string>;
  provider: MatchersV3.Matcher<string>;
}) {
  return {
    code: like("success"),
    data: {
      id: ids.task,
      status: like("not_started"),
      syncStatus: like("synced"),
      notes: like("Review missing plan for Impression #3"),
      noteId: ids.note,
      ehrType: like("modmed"),
      assignedProviders: eachLike(provider(ids.provider)),
      createdAt: pgTimestamp("2026-03-20 18:35:10.209452+00"),
      updatedAt: pgTimestamp("2026-03-23 03:15:47.285+00"),
    },
  };
}

const v2Task = taskBody({ task: uuid(TASK_UUID), note: uuid(NOTE_UUID), provider: uuid(PROVIDER_UUID) });
const v4Task = taskBody({
  task: v4Id("tsk", TASK_V4),
  note: v4Id("nte", NOTE_V4),
  provider: v4Id("prv", PROVIDER_V4),
});

const EXPECTED_ASSIGNEE = {
  vendor: "maxai",
  id: PROVIDER_V4,
  kind: "PROVIDER",
  inline: {
    vendor: "maxai",
    id: PROVIDER_V4,
    kind: "PROVIDER",
    displayName: "Dr. James Wilson, MD",
    firstName: "James",
    lastName: "Wilson",
    email: null,
    username: "jwilson",
    roles: ["Physician"],
  },
};
const EXPECTED_TASK = {
  vendor: "maxai",
  id: TASK_V4,
  title: null,
  description: "Review missing plan for Impression #3",
  status: "TODO",
  vendorStatus: "not_started",
  createdAt: "2026-03-20T18:35:10.209Z",
  updatedAt: "2026-03-23T03:15:47.285Z",
  assignees: [EXPECTED_ASSIGNEE],
  details: { syncStatus: "synced", ehrType: "modmed", noteId: NOTE_V4 },
};

const createInput: MaxAiCreateTaskInput = {
  vendor: "maxai",
  // Given as a v2 UUID on purpose: the pact shows it goes out as nte_.
  noteId: NOTE_UUID,
  providerId: PROVIDER_V4,
  notes: "Review missing plan for Impression #3: Irritant Contact Dermatitis",
  assigneeIds: [PROVIDER_V4],
};
const createBody = (noteId: string) => ({
  noteId: v4Id("nte", noteId),
  providerId: v4Id("prv", PROVIDER_V4),
  notes: like(createInput.notes),
  assigneeIds: eachLike(v4Id("prv", PROVIDER_V4)),
});

function clientFor(url: string, apiKey = API_KEY) {
  return createClient({ baseUrl: url, apiKey, organizationId: ORG });
}

async function failure(call: () => Promise<unknown>): Promise<VendorError> {
  try {
    await call();
  } catch (thrown) {
    return thrown as VendorError;
  }
  throw new Error("expected the call to fail");
}

const pact = new PactV4({ consumer: "taskbridge", provider: "maxai", dir, logLevel: "warn" });
const interaction = () => pact.addInteraction();

beforeAll(() => {
  // Regenerated from scratch on every run, so removed interactions do not linger.
  rmSync(pactFile, { force: true });
});

describe("Max AI getTask (GET /v2/tasks/{id})", () => {
  const taskPath = regex(`^/v2/tasks/${UUID}$`, `/v2/tasks/${TASK_UUID}`);

  it("returns an existing task, v2 ids converted to v4", async () => {
    await interaction()
      .given("task {id} exists", { id: TASK_UUID })
      .uponReceiving("a request for an existing task")
      .withRequest("GET", taskPath, (b) => b.headers(authHeaders()))
      .willRespondWith(200, (b) => b.jsonBody(v2Task))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const task = await client.getTask(TASK_V4);
        await client.close();
        expect(task).toMatchObject(EXPECTED_TASK);
      });
  });

  it("returns null for a task that does not exist", async () => {
    await interaction()
      .given("task {id} does not exist", { id: MISSING_TASK_UUID })
      .uponReceiving("a request for a task that does not exist")
      .withRequest("GET", regex(`^/v2/tasks/${UUID}$`, `/v2/tasks/${MISSING_TASK_UUID}`), (b) =>
        b.headers(authHeaders()),
      )
      .willRespondWith(404, (b) => b.jsonBody(errorBody("not_found", "Resource not found")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        expect(await client.getTask(MISSING_TASK_UUID)).toBeNull();
        await client.close();
      });
  });

  it("fails with unauthorized for a revoked key", async () => {
    await interaction()
      .given("task {id} exists", { id: TASK_UUID })
      .uponReceiving("a request for a task with a revoked API key")
      .withRequest("GET", taskPath, (b) => b.headers(authHeaders(REVOKED_KEY)))
      .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid or missing API key")))
      .executeTest(async (server) => {
        const client = clientFor(server.url, REVOKED_KEY);
        const error = await failure(() => client.getTask(TASK_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorUnauthorizedError);
        expect(error.traceId).toBe("550e8400-e29b-41d4-a716-446655440000");
      });
  });

  it("fails with forbidden when the key lacks read:tasks", async () => {
    await interaction()
      .given("task {id} exists", { id: TASK_UUID })
      .given("the API key lacks scope {scope}", { scope: "read:tasks" })
      .uponReceiving("a request for a task with a key lacking read:tasks")
      .withRequest("GET", taskPath, (b) => b.headers(authHeaders()))
      .willRespondWith(403, (b) => b.jsonBody(errorBody("forbidden", "Insufficient scope")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.getTask(TASK_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorForbiddenError);
        expect(error.detail).toBe("Insufficient scope");
      });
  });

  it("fails with rate_limited and keeps Retry-After when the rate limit is exhausted", async () => {
    await interaction()
      .given("task {id} exists", { id: TASK_UUID })
      .given("the rate limit is exhausted", { retryAfterSeconds: 30 })
      .uponReceiving("a request for a task while the rate limit is exhausted")
      .withRequest("GET", taskPath, (b) => b.headers(authHeaders()))
      // Retry-After only: the v2 spec's 429 declares no headers, and an addendum may not redefine it.
      .willRespondWith(429, (b) => b.headers(RETRY_AFTER).jsonBody(RATE_LIMITED))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.getTask(TASK_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorRateLimitedError);
        expect(error.retryAfterMs).toBe(30_000);
      });
  });
});

describe("Max AI createTask (POST /v4/tasks)", () => {
  const existing = { noteId: NOTE_V4, providerId: PROVIDER_V4 };

  it("creates a task and returns it with v4 ids", async () => {
    await interaction()
      .given("note {noteId} and provider {providerId} exist", existing)
      .uponReceiving("a request to create a task")
      .withRequest("POST", "/v4/tasks", (b) => b.headers(authHeaders()).jsonBody(createBody(NOTE_V4)))
      .willRespondWith(200, (b) => b.jsonBody(v4Task))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const task = await client.createTask(createInput, { idempotencyKey: "contract-create-1" });
        await client.close();
        expect(task).toMatchObject(EXPECTED_TASK);
      });
  });

  it("fails with bad_request when the note does not exist", async () => {
    await interaction()
      .given("provider {id} exists", { id: PROVIDER_V4 })
      .given("note {noteId} does not exist", { noteId: MISSING_NOTE_V4 })
      .uponReceiving("a request to create a task on a note that does not exist")
      .withRequest("POST", "/v4/tasks", (b) => b.headers(authHeaders()).jsonBody(createBody(MISSING_NOTE_V4)))
      .willRespondWith(400, (b) => b.jsonBody(errorBody("bad_request", "Note not found")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.createTask({ ...createInput, noteId: MISSING_NOTE_V4 }));
        await client.close();
        expect(error).toBeInstanceOf(VendorBadRequestError);
        expect(error.detail).toBe("Note not found");
      });
  });

  it("fails with unauthorized for a revoked key", async () => {
    await interaction()
      .given("note {noteId} and provider {providerId} exist", existing)
      .uponReceiving("a request to create a task with a revoked API key")
      .withRequest("POST", "/v4/tasks", (b) => b.headers(authHeaders(REVOKED_KEY)).jsonBody(createBody(NOTE_V4)))
      .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid or missing API key")))
      .executeTest(async (server) => {
        const client = clientFor(server.url, REVOKED_KEY);
        const error = await failure(() => client.createTask(createInput));
        await client.close();
        expect(error).toBeInstanceOf(VendorUnauthorizedError);
      });
  });

  it("fails with forbidden when the key lacks write:tasks", async () => {
    await interaction()
      .given("note {noteId} and provider {providerId} exist", existing)
      .given("the API key lacks scope {scope}", { scope: "write:tasks" })
      .uponReceiving("a request to create a task with a key lacking write:tasks")
      .withRequest("POST", "/v4/tasks", (b) => b.headers(authHeaders()).jsonBody(createBody(NOTE_V4)))
      .willRespondWith(403, (b) => b.jsonBody(errorBody("forbidden", "Insufficient scope")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.createTask(createInput));
        await client.close();
        expect(error).toBeInstanceOf(VendorForbiddenError);
      });
  });
});

describe("Max AI getPerson (GET /v4/providers/{id})", () => {
  const providerPath = (id: string) => regex(`^/v4/providers/prv_${HEX32}$`, `/v4/providers/${id}`);
  const providerBody = { code: like("success"), data: provider(v4Id("prv", PROVIDER_V4)) };

  it("returns an existing provider as a Person", async () => {
    await interaction()
      .given("provider {id} exists", { id: PROVIDER_V4 })
      .uponReceiving("a request for an existing provider")
      .withRequest("GET", providerPath(PROVIDER_V4), (b) => b.headers(authHeaders()))
      .willRespondWith(200, (b) => b.jsonBody(providerBody))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        // A dashed UUID on purpose: the pact shows it goes out as prv_.
        const person = await client.getPerson(PROVIDER_UUID);
        await client.close();
        expect(person).toEqual(EXPECTED_ASSIGNEE.inline);
      });
  });

  it("returns null for a provider that does not exist", async () => {
    await interaction()
      .given("provider {id} does not exist", { id: MISSING_PROVIDER_V4 })
      .uponReceiving("a request for a provider that does not exist")
      .withRequest("GET", providerPath(MISSING_PROVIDER_V4), (b) => b.headers(authHeaders()))
      .willRespondWith(404, (b) => b.jsonBody(errorBody("not_found", "Resource not found")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        expect(await client.getPerson(MISSING_PROVIDER_V4)).toBeNull();
        await client.close();
      });
  });

  it("fails with unauthorized for a revoked key", async () => {
    await interaction()
      .given("provider {id} exists", { id: PROVIDER_V4 })
      .uponReceiving("a request for a provider with a revoked API key")
      .withRequest("GET", providerPath(PROVIDER_V4), (b) => b.headers(authHeaders(REVOKED_KEY)))
      .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid or missing API key")))
      .executeTest(async (server) => {
        const client = clientFor(server.url, REVOKED_KEY);
        const error = await failure(() => client.getPerson(PROVIDER_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorUnauthorizedError);
      });
  });

  it("fails with rate_limited and keeps Retry-After when the rate limit is exhausted", async () => {
    await interaction()
      .given("provider {id} exists", { id: PROVIDER_V4 })
      .given("the rate limit is exhausted", { retryAfterSeconds: 30 })
      .uponReceiving("a request for a provider while the rate limit is exhausted")
      .withRequest("GET", providerPath(PROVIDER_V4), (b) => b.headers(authHeaders()))
      .willRespondWith(429, (b) => b.headers(RATE_LIMIT_HEADERS).jsonBody(RATE_LIMITED))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.getPerson(PROVIDER_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorRateLimitedError);
        expect(error.retryAfterMs).toBe(30_000);
      });
  });

  it("fails with forbidden when the key lacks read:providers", async () => {
    await interaction()
      .given("provider {id} exists", { id: PROVIDER_V4 })
      .given("the API key lacks scope {scope}", { scope: "read:providers" })
      .uponReceiving("a request for a provider with a key lacking read:providers")
      .withRequest("GET", providerPath(PROVIDER_V4), (b) => b.headers(authHeaders()))
      .willRespondWith(403, (b) => b.jsonBody(errorBody("forbidden", "Insufficient scope")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.getPerson(PROVIDER_V4));
        await client.close();
        expect(error).toBeInstanceOf(VendorForbiddenError);
      });
  });
});

describe("Max AI listTasks (GET /v4/tasks)", () => {
  // A provider of the contract only: the state gives it exactly three not_started tasks (so two pages of two).
  const LIST_PROVIDER_V4 = "prv_5e6f708192a34b4c8d9e0f1a2b3c4d5e";
  const threeOpen = { count: 3, status: "not_started", providerId: LIST_PROVIDER_V4 };
  const openTasks = (page: number, pageSize: number) => ({
    status: "new,not_started",
    providerId: regex(`^prv_${HEX32}$`, LIST_PROVIDER_V4),
    page: regex("^[1-9]\\d*$", String(page)),
    pageSize: regex("^[1-9]\\d*$", String(pageSize)),
  });
  const listBody = (tasks: unknown, pagination: Record<string, number>) => ({
    code: like("success"),
    data: {
      tasks,
      pagination: Object.fromEntries(Object.entries(pagination).map(([key, value]) => [key, integer(value)])),
    },
  });
  const listedTask = taskBody({
    task: v4Id("tsk", TASK_V4),
    note: v4Id("nte", NOTE_V4),
    provider: v4Id("prv", LIST_PROVIDER_V4),
  }).data;
  const open = { statuses: ["TODO" as const], assigneeId: LIST_PROVIDER_V4 };

  it("returns the first page with the vendor's count and a next position", async () => {
    await interaction()
      .given("{count} tasks with status {status} are assigned to provider {providerId}", threeOpen)
      .uponReceiving("a request for the first page of a provider's open tasks")
      .withRequest("GET", "/v4/tasks", (b) => b.query(openTasks(1, 2)).headers(authHeaders()))
      .willRespondWith(200, (b) =>
        b.jsonBody(listBody(eachLike(listedTask), { page: 1, pageSize: 2, totalCount: 3, totalPages: 2 })),
      )
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const page = await client.listTasks({ filter: open, pageSize: 2 });
        await client.close();
        expect(page.items.map((i) => i.task)).toMatchObject([
          { id: TASK_V4, status: "TODO", vendorStatus: "not_started" },
        ]);
        expect(page.totalCount).toBe(3);
        expect(page.next).not.toBeNull();
      });
  });

  it("returns the last page with no next position", async () => {
    await interaction()
      .given("{count} tasks with status {status} are assigned to provider {providerId}", threeOpen)
      .uponReceiving("a request for the last page of a provider's open tasks")
      .withRequest("GET", "/v4/tasks", (b) => b.query(openTasks(2, 2)).headers(authHeaders()))
      .willRespondWith(200, (b) =>
        b.jsonBody(listBody(eachLike(listedTask), { page: 2, pageSize: 2, totalCount: 3, totalPages: 2 })),
      )
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const position = encodePosition({ native: "2", seen: [] });
        const page = await client.listTasks({ filter: open, pageSize: 2, position });
        await client.close();
        expect(page.items).toHaveLength(1);
        expect(page.next).toBeNull();
      });
  });

  it("returns an empty page when nothing matches", async () => {
    await interaction()
      .given("{count} tasks with status {status} are assigned to provider {providerId}", { ...threeOpen, count: 0 })
      .uponReceiving("a request for a provider's open tasks when there are none")
      .withRequest("GET", "/v4/tasks", (b) => b.query(openTasks(1, 20)).headers(authHeaders()))
      .willRespondWith(200, (b) => b.jsonBody(listBody([], { page: 1, pageSize: 20, totalCount: 0, totalPages: 0 })))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const page = await client.listTasks({ filter: open, pageSize: 20 });
        await client.close();
        expect(page).toEqual({ items: [], next: null, totalCount: 0, unreadable: [] });
      });
  });

  const firstPage = { page: regex("^1$", "1"), pageSize: regex("^\\d+$", "20") };

  it("fails with bad_request for a parameter the vendor refuses", async () => {
    await interaction()
      .uponReceiving("a request for tasks with a dateFrom that is not a date")
      .withRequest("GET", "/v4/tasks", (b) => b.query({ dateFrom: "2026-13-01", ...firstPage }).headers(authHeaders()))
      .willRespondWith(400, (b) => b.jsonBody(errorBody("bad_request", "'dateFrom' must be an ISO 8601 date")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.listTasks({ vendorFilter: { dateFrom: "2026-13-01" }, pageSize: 20 }));
        await client.close();
        expect(error).toBeInstanceOf(VendorBadRequestError);
        expect(error.detail).toContain("dateFrom");
      });
  });

  it("fails with unauthorized for a revoked key", async () => {
    await interaction()
      .uponReceiving("a request for tasks with a revoked API key")
      .withRequest("GET", "/v4/tasks", (b) => b.query(firstPage).headers(authHeaders(REVOKED_KEY)))
      .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid or missing API key")))
      .executeTest(async (server) => {
        const client = clientFor(server.url, REVOKED_KEY);
        const error = await failure(() => client.listTasks({ pageSize: 20 }));
        await client.close();
        expect(error).toBeInstanceOf(VendorUnauthorizedError);
      });
  });

  it("fails with forbidden when the key lacks read:tasks", async () => {
    await interaction()
      .given("the API key lacks scope {scope}", { scope: "read:tasks" })
      .uponReceiving("a request for tasks with a key lacking read:tasks")
      .withRequest("GET", "/v4/tasks", (b) => b.query(firstPage).headers(authHeaders()))
      .willRespondWith(403, (b) => b.jsonBody(errorBody("forbidden", "Insufficient scope")))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.listTasks({ pageSize: 20 }));
        await client.close();
        expect(error).toBeInstanceOf(VendorForbiddenError);
      });
  });

  it("fails with rate_limited and keeps Retry-After when the rate limit is exhausted", async () => {
    await interaction()
      .given("the rate limit is exhausted", { retryAfterSeconds: 30 })
      .uponReceiving("a request for tasks while the rate limit is exhausted")
      .withRequest("GET", "/v4/tasks", (b) => b.query(firstPage).headers(authHeaders()))
      .willRespondWith(429, (b) => b.headers(RATE_LIMIT_HEADERS).jsonBody(RATE_LIMITED))
      .executeTest(async (server) => {
        const client = clientFor(server.url);
        const error = await failure(() => client.listTasks({ pageSize: 20 }));
        await client.close();
        expect(error).toBeInstanceOf(VendorRateLimitedError);
        expect(error.retryAfterMs).toBe(30_000);
      });
  });
});
