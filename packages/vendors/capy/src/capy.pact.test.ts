import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import {
  encodePosition,
  VendorBadRequestError,
  VendorConflictError,
  VendorForbiddenError,
  VendorNotFoundError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";

const { atLeastLike, boolean, eachLike, integer, like, nullValue, regex, uuid } = MatchersV3;

const PACT_DIR = fileURLToPath(new URL("../../../../pact/pacts", import.meta.url));
const TOKEN = "capy_contract_token";
const REVOKED_TOKEN = "capy_revoked";

// Fixed examples so the pact file is the same on every run. TASK_ID is the seed spec's example id.
const TASK_ID = "550e8400-e29b-41d4-a716-446655440000";
const MISSING_TASK_ID = "00000000-0000-4000-8000-000000000404";
const FORBIDDEN_TASK_ID = "00000000-0000-4000-8000-000000000403";
const PROJECT_ID = "3f2b8c1e-6a4d-4e2f-9b7a-1c5d8e9f0a12";
const MISSING_PROJECT_ID = "00000000-0000-4000-8000-0000000000aa";
const PROMPT = "The login e2e test fails about one run in five on CI. Find the race and fix it.";
const TITLE = "Fix the flaky login test";

/** What normalizeTimestamp reads: ISO 8601 / RFC 3339 with an offset (Capy does not document its format). */
const TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}(:?\\d{2})?)$";

const authorization = (token: string) => ({ Authorization: regex("^Bearer \\S+$", `Bearer ${token}`) });
// Paths carry the server path `/api` of https://capy.ai/api: the comparator ignores OAS3 server paths (pact/'s
// merge prefixes them onto the spec's paths) and the provider verification replays paths against the origin.
const taskPath = (id: string) => regex("^/api/v1/tasks/[0-9a-fA-F-]{36}$", `/api/v1/tasks/${id}`);
const CREATE_PATH = "/api/v1/tasks";
const baseUrl = (server: { url: string }) => `${server.url}/api`;

/**
 * Exactly the 13 fields of the spec's Task (it is `additionalProperties: false`, all required). Matchers ask only
 * for what the client needs: types for the fields it reads, any status string (the enum is open), 0..n Slack
 * threads. Nullable fields the client does not read (threadIndex, currentJamId) and pullRequest (`type: null`)
 * are null; threadId is null as for a task that was not started from a thread.
 */
const taskBody = (id: string) => ({
  id: uuid(id),
  projectId: like(PROJECT_ID),
  threadIndex: nullValue(),
  identifier: like("SCO-123"),
  title: like(TITLE),
  prompt: like(PROMPT),
  status: like("in_progress"),
  pullRequest: nullValue(),
  slackThreads: atLeastLike(
    {
      teamId: like("T024BE7LD"),
      channelId: like("C024BE91L"),
      threadTs: like("1750000000.000100"),
      url: like("https://acme.slack.com/archives/C024BE91L/p1750000000000100"),
    },
    0,
    1,
  ),
  currentJamId: nullValue(),
  createdAt: regex(TIMESTAMP, "2026-06-15T09:30:00.000Z"),
  updatedAt: regex(TIMESTAMP, "2026-06-15T10:02:41.512Z"),
  threadId: nullValue(),
});

const errorBody = (code: string, message: string) => ({ error: { code: like(code), message: like(message) } });

describe("Capy contract (consumer taskbridge, provider capy)", () => {
  let pact: PactV4;

  beforeAll(() => {
    // Regenerate from scratch so interactions removed from this file do not linger in the pact.
    rmSync(join(PACT_DIR, "taskbridge-capy.json"), { force: true });
    pact = new PactV4({ consumer: "taskbridge", provider: "capy", dir: PACT_DIR, logLevel: "warn" });
  });

  /** The GET of an existing task; shared by getTask and createTask's read-back so both describe one interaction. */
  const existingTask = () =>
    pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID })
      .uponReceiving("a request for an existing task")
      .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(authorization(TOKEN)))
      .willRespondWith(200, (b) => b.jsonBody(taskBody(TASK_ID)));

  describe("getTask", () => {
    it("returns an existing task", async () => {
      await existingTask().executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const task = await client.getTask(TASK_ID);
          expect(task).toMatchObject({
            vendor: "capy",
            id: TASK_ID,
            title: TITLE,
            description: PROMPT,
            status: "IN_PROGRESS",
            vendorStatus: "in_progress",
            createdAt: "2026-06-15T09:30:00.000Z",
            updatedAt: "2026-06-15T10:02:41.512Z",
            assignees: [],
            details: {
              projectId: PROJECT_ID,
              identifier: "SCO-123",
              prompt: PROMPT,
              pullRequest: null,
              threadId: null,
            },
          });
          expect(task?.details.slackThreads).toHaveLength(1);
        } finally {
          await client.close();
        }
      });
    });

    it("returns null for a task that does not exist (404)", async () => {
      await pact
        .addInteraction()
        .given("task {id} does not exist", { id: MISSING_TASK_ID })
        .uponReceiving("a request for a task that does not exist")
        .withRequest("GET", taskPath(MISSING_TASK_ID), (b) => b.headers(authorization(TOKEN)))
        .willRespondWith(404, (b) => b.jsonBody(errorBody("not_found", "Task not found")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            expect(await client.getTask(MISSING_TASK_ID)).toBeNull();
          } finally {
            await client.close();
          }
        });
    });

    it("rejects a revoked token (401)", async () => {
      await pact
        .addInteraction()
        .given("task {id} exists", { id: TASK_ID })
        .uponReceiving("a request for a task with a revoked token")
        .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(authorization(REVOKED_TOKEN)))
        .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid API token")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: REVOKED_TOKEN });
          try {
            await expect(client.getTask(TASK_ID)).rejects.toBeInstanceOf(VendorUnauthorizedError);
          } finally {
            await client.close();
          }
        });
    });

    it("rejects a task the token may not read (403)", async () => {
      await pact
        .addInteraction()
        .given("the token lacks access to task {id}", { id: FORBIDDEN_TASK_ID })
        .uponReceiving("a request for a task the token lacks access to")
        .withRequest("GET", taskPath(FORBIDDEN_TASK_ID), (b) => b.headers(authorization(TOKEN)))
        .willRespondWith(403, (b) => b.jsonBody(errorBody("forbidden", "You do not have access to this task")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            await expect(client.getTask(FORBIDDEN_TASK_ID)).rejects.toBeInstanceOf(VendorForbiddenError);
          } finally {
            await client.close();
          }
        });
    });
  });

  describe("createTask", () => {
    const fullInput = {
      vendor: "capy" as const,
      projectId: PROJECT_ID,
      prompt: PROMPT,
      title: TITLE,
      labels: ["flaky-test"],
      model: "claude-sonnet-4",
      start: false,
    };
    const minimalInput = { vendor: "capy" as const, projectId: PROJECT_ID, prompt: PROMPT };
    const minimalBody = (projectId: string) => ({ projectId: like(projectId), prompt: like(PROMPT) });

    it("creates a task, then reads it back", async () => {
      // Two interactions on one mock server: the POST, and the read-back GET (the same interaction as getTask's).
      pact
        .addInteraction()
        .given("project {projectId} exists", { projectId: PROJECT_ID })
        .uponReceiving("a request to create a task")
        .withRequest("POST", CREATE_PATH, (b) =>
          b.headers({ ...authorization(TOKEN), "Content-Type": "application/json" }).jsonBody({
            projectId: like(PROJECT_ID),
            prompt: like(PROMPT),
            title: like(TITLE),
            labels: eachLike("flaky-test"),
            model: like("claude-sonnet-4"),
            start: boolean(false),
          }),
        )
        .willRespondWith(200, (b) =>
          b.jsonBody({
            id: uuid(TASK_ID),
            projectId: like(PROJECT_ID),
            identifier: like("SCO-123"),
            title: like(TITLE),
            status: like("queued"),
            createdAt: regex(TIMESTAMP, "2026-06-15T09:30:00.000Z"),
          }),
        );
      await existingTask().executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const task = await client.createTask(fullInput);
          // Fields only the read-back has: the created task came back through GET.
          expect(task).toMatchObject({
            id: TASK_ID,
            updatedAt: "2026-06-15T10:02:41.512Z",
            vendorStatus: "in_progress",
          });
          expect(task.details.slackThreads).toHaveLength(1);
        } finally {
          await client.close();
        }
      });
    });

    it("rejects a revoked token (401)", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} exists", { projectId: PROJECT_ID })
        .uponReceiving("a request to create a task with a revoked token")
        .withRequest("POST", CREATE_PATH, (b) =>
          b
            .headers({ ...authorization(REVOKED_TOKEN), "Content-Type": "application/json" })
            .jsonBody(minimalBody(PROJECT_ID)),
        )
        .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid API token")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: REVOKED_TOKEN });
          try {
            await expect(client.createTask(minimalInput)).rejects.toBeInstanceOf(VendorUnauthorizedError);
          } finally {
            await client.close();
          }
        });
    });

    it("reports a project that does not exist as a validation error (422)", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} does not exist", { projectId: MISSING_PROJECT_ID })
        .uponReceiving("a request to create a task in a project that does not exist")
        .withRequest("POST", CREATE_PATH, (b) =>
          b
            .headers({ ...authorization(TOKEN), "Content-Type": "application/json" })
            .jsonBody(minimalBody(MISSING_PROJECT_ID)),
        )
        .willRespondWith(422, (b) =>
          b.jsonBody(errorBody("validation_error", `project ${MISSING_PROJECT_ID} does not exist`)),
        )
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            const error = await client
              .createTask({ ...minimalInput, projectId: MISSING_PROJECT_ID })
              .catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VendorBadRequestError);
            expect((error as VendorBadRequestError).detail).toContain("does not exist");
          } finally {
            await client.close();
          }
        });
    });
  });

  describe("listTasks (GET /v1/threads, then each task)", () => {
    const LIST_PROJECT_ID = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const THREADS_PATH = "/api/v1/threads";
    const threads = (count: number) => ({ projectId: LIST_PROJECT_ID, count });
    const listQuery = (limit: number) => ({
      projectId: regex("^[0-9a-fA-F-]{36}$", LIST_PROJECT_ID),
      limit: regex("^\\d+$", String(limit)),
    });
    /** A thread as listed, with every field the docs page marks required; the client reads only the task ids. */
    const thread = {
      id: uuid("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"),
      projectId: like(LIST_PROJECT_ID),
      title: like(TITLE),
      status: like("active"),
      tasks: eachLike({
        id: uuid(TASK_ID),
        identifier: like("SCO-123"),
        title: like(TITLE),
        status: like("in_progress"),
      }),
      pullRequests: [],
      slackThreads: [],
      createdAt: regex(TIMESTAMP, "2026-06-15T09:30:00.000Z"),
      updatedAt: regex(TIMESTAMP, "2026-06-15T10:02:41.512Z"),
    };
    const listing = (items: unknown, nextCursor: unknown, hasMore: boolean) => ({
      items,
      nextCursor,
      hasMore: boolean(hasMore),
    });

    it("reads the first page of threads, reads the listed task, and keeps the cursor", async () => {
      pact
        .addInteraction()
        .given("project {projectId} has {count} threads", threads(3))
        .uponReceiving("a request for the first page of a project's threads")
        .withRequest("GET", THREADS_PATH, (b) => b.query(listQuery(2)).headers(authorization(TOKEN)))
        .willRespondWith(200, (b) => b.jsonBody(listing(eachLike(thread), like("eyJxIjoi.c2ln"), true)));
      await existingTask().executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const page = await client.listTasks({ scope: LIST_PROJECT_ID, pageSize: 2 });
          expect(page.items.map((i) => i.task)).toMatchObject([
            { id: TASK_ID, description: PROMPT, details: { prompt: PROMPT } },
          ]);
          expect(page.next).toBe(
            encodePosition({ native: `projectId=${LIST_PROJECT_ID}&cursor=eyJxIjoi.c2ln`, seen: [] }),
          );
        } finally {
          await client.close();
        }
      });
    });

    it("reads the last page: no cursor, no next position", async () => {
      pact
        .addInteraction()
        .given("project {projectId} has {count} threads", threads(1))
        .uponReceiving("a request for a project's threads that fit on one page")
        .withRequest("GET", THREADS_PATH, (b) => b.query(listQuery(2)).headers(authorization(TOKEN)))
        .willRespondWith(200, (b) => b.jsonBody(listing(eachLike(thread), nullValue(), false)));
      await existingTask().executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const page = await client.listTasks({ scope: LIST_PROJECT_ID, pageSize: 2 });
          expect(page.items).toHaveLength(1);
          expect(page.next).toBeNull();
        } finally {
          await client.close();
        }
      });
    });

    it("reads an empty project without reading any task", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} has {count} threads", threads(0))
        .uponReceiving("a request for the threads of a project that has none")
        .withRequest("GET", THREADS_PATH, (b) => b.query(listQuery(20)).headers(authorization(TOKEN)))
        .willRespondWith(200, (b) => b.jsonBody(listing([], nullValue(), false)))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            expect(await client.listTasks({ scope: LIST_PROJECT_ID, pageSize: 20 })).toEqual({
              items: [],
              next: null,
              totalCount: null,
              unreadable: [],
            });
          } finally {
            await client.close();
          }
        });
    });

    it("is refused a cursor that is not (or no longer) valid (422)", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} has {count} threads", threads(3))
        .uponReceiving("a request for a project's threads with an expired cursor")
        .withRequest("GET", THREADS_PATH, (b) =>
          b.query({ ...listQuery(2), cursor: like("eyJxIjoi.expired") }).headers(authorization(TOKEN)),
        )
        .willRespondWith(422, (b) => b.jsonBody(errorBody("validation_error", "Invalid request")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          const native = `projectId=${LIST_PROJECT_ID}&cursor=eyJxIjoi.expired`;
          try {
            const error = await client
              .listTasks({ scope: LIST_PROJECT_ID, pageSize: 2, position: encodePosition({ native, seen: [] }) })
              .catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VendorBadRequestError);
          } finally {
            await client.close();
          }
        });
    });

    it("is told the project does not exist (404)", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} does not exist", { projectId: MISSING_PROJECT_ID })
        .uponReceiving("a request for the threads of a project that does not exist")
        .withRequest("GET", THREADS_PATH, (b) =>
          b.query({ ...listQuery(20), projectId: like(MISSING_PROJECT_ID) }).headers(authorization(TOKEN)),
        )
        .willRespondWith(404, (b) => b.jsonBody(errorBody("not_found", "Project not found")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            await expect(client.listTasks({ scope: MISSING_PROJECT_ID, pageSize: 20 })).rejects.toBeInstanceOf(
              VendorNotFoundError,
            );
          } finally {
            await client.close();
          }
        });
    });

    it("rejects a revoked token (401)", async () => {
      await pact
        .addInteraction()
        .given("project {projectId} has {count} threads", threads(1))
        .uponReceiving("a request for a project's threads with a revoked token")
        .withRequest("GET", THREADS_PATH, (b) => b.query(listQuery(20)).headers(authorization(REVOKED_TOKEN)))
        .willRespondWith(401, (b) => b.jsonBody(errorBody("unauthorized", "Invalid API token")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: REVOKED_TOKEN });
          try {
            await expect(client.listTasks({ scope: LIST_PROJECT_ID, pageSize: 20 })).rejects.toBeInstanceOf(
              VendorUnauthorizedError,
            );
          } finally {
            await client.close();
          }
        });
    });
  });

  describe("performAction (POST /v1/tasks/{taskId}/stop and /message)", () => {
    const stopPath = regex("^/api/v1/tasks/[0-9a-fA-F-]{36}/stop$", `/api/v1/tasks/${TASK_ID}/stop`);
    const messagePath = regex("^/api/v1/tasks/[0-9a-fA-F-]{36}/message$", `/api/v1/tasks/${TASK_ID}/message`);
    const jsonHeaders = () => ({ ...authorization(TOKEN), "Content-Type": "application/json" });
    /** A started task (it has a thread) read back after an action. */
    const startedTask = (status: string) =>
      pact
        .addInteraction()
        .given("task {id} exists", { id: TASK_ID, status })
        .uponReceiving(`a request for a task that is ${status}`)
        .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(authorization(TOKEN)))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            ...taskBody(TASK_ID),
            status: like(status),
            threadIndex: integer(0),
            threadId: uuid("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"),
          }),
        );

    it("stops a running task, then reads it back", async () => {
      pact
        .addInteraction()
        .given("task {id} exists", { id: TASK_ID, status: "in_progress" })
        .uponReceiving("a request to stop a running task")
        .withRequest("POST", stopPath, (b) => b.headers(jsonHeaders()).jsonBody({ reason: like("Wrong branch") }))
        .willRespondWith(200, (b) =>
          b.jsonBody({ id: uuid(TASK_ID), identifier: like("SCO-123"), status: like("needs_review") }),
        );
      await startedTask("needs_review").executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const { task } = await client.performAction(TASK_ID, { kind: "stop", reason: "Wrong branch" });
          expect(task).toMatchObject({ id: TASK_ID, vendorStatus: "needs_review", status: "IN_REVIEW" });
        } finally {
          await client.close();
        }
      });
    });

    it("is refused stopping a task that does not run (409)", async () => {
      await pact
        .addInteraction()
        .given("task {id} exists", { id: TASK_ID, status: "completed" })
        .uponReceiving("a request to stop a task that is not running")
        .withRequest("POST", stopPath, (b) => b.headers(jsonHeaders()).jsonBody({}))
        .willRespondWith(409, (b) => b.jsonBody(errorBody("conflict", "Task is not running")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            const error = await client.performAction(TASK_ID, { kind: "stop" }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VendorConflictError);
          } finally {
            await client.close();
          }
        });
    });

    it("is told the task does not exist (404)", async () => {
      await pact
        .addInteraction()
        .given("task {id} does not exist", { id: MISSING_TASK_ID })
        .uponReceiving("a request to stop a task that does not exist")
        .withRequest(
          "POST",
          regex("^/api/v1/tasks/[0-9a-fA-F-]{36}/stop$", `/api/v1/tasks/${MISSING_TASK_ID}/stop`),
          (b) => b.headers(jsonHeaders()).jsonBody({}),
        )
        .willRespondWith(404, (b) => b.jsonBody(errorBody("not_found", "Task not found")))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
          try {
            await expect(client.performAction(MISSING_TASK_ID, { kind: "stop" })).rejects.toBeInstanceOf(
              VendorNotFoundError,
            );
          } finally {
            await client.close();
          }
        });
    });

    it("sends a follow-up message, then reads the task back", async () => {
      pact
        .addInteraction()
        .given("task {id} exists", { id: TASK_ID, status: "needs_review" })
        .uponReceiving("a request to send a task a follow-up message")
        .withRequest("POST", messagePath, (b) =>
          b.headers(jsonHeaders()).jsonBody({ message: like("Use the v2 endpoint") }),
        )
        .willRespondWith(200, (b) => b.jsonBody({ id: like("msg_1"), status: "sent" }));
      await startedTask("needs_review").executeTest(async (server) => {
        const client = createClient({ baseUrl: baseUrl(server), token: TOKEN });
        try {
          const { task } = await client.performAction(TASK_ID, { kind: "message", text: "Use the v2 endpoint" });
          expect(task).toMatchObject({ id: TASK_ID, vendorStatus: "needs_review" });
        } finally {
          await client.close();
        }
      });
    });
  });
});
