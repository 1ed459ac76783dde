import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import {
  encodePosition,
  VendorBadRequestError,
  VendorConflictError,
  VendorNotFoundError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";
import { expectedSeedTask, SEED_TASK_ID } from "./test-support.ts";

const { eachLike, like, integer, regex, uuid } = MatchersV3;

const dir = fileURLToPath(new URL("../../../../pact/pacts", import.meta.url));
const pactFile = `${dir}/taskbridge-maxsight.json`;

// Contract credentials from the team brief; the sandbox is started with exactly these for verification.
const API_KEY = "ms_contract_key";
const REVOKED_KEY = "ms_revoked";
const MISSING_TASK_ID = "5c1f2a4e-0d3b-4c6a-9e8f-7a1b2c3d4e5f";

const UUID_PATH = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const taskPath = (id: string) => regex(`^/v5/tasks/${UUID_PATH}$`, `/v5/tasks/${id}`);
// Maxsight documents no key format; any non-blank value is a plausible key.
const apikey = (example: string) => ({ apikey: regex("^\\S+$", example) });
/**
 * The docs' "404 Task not found" (the v5 body is not documented): the client takes a 404 for "no such task" only when
 * its error text says so (errors.ts NOT_FOUND), so the contract asks for that text, in a top-level `message`.
 */
const NOT_FOUND_BODY = { message: regex("(?i)\\btask not found\\b", "Task not found") };
const instant = (example: string) =>
  regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$", example);

/** The seed 004 example ("Retrieve a task from its ID"), with matchers on every value we rely on. */
const seedTaskBody = {
  assessment_id: uuid("9f60a03f-b3de-4b19-9361-0380d9aa1e9e"),
  assessment_template_id: uuid("af8498c1-32bd-4453-b407-761eb6440e9b"),
  assignment: {
    assigned_by_id: uuid("22930149-1fab-4145-94b5-af2031b8de65"),
    assigned_to_id: uuid("73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6"),
    assigned_to_type: regex("^(USER|TEAM)$", "USER"),
    assignment_comment: null,
  },
  c_name: like("Review documentation"),
  created_at: instant("2019-08-24T14:15:22Z"),
  custom_metadata: null,
  data_version: integer(0),
  entity_id: uuid("8161163a-f227-466f-bc01-090a01e80165"),
  id: uuid(SEED_TASK_ID),
  institution_id: uuid("c75f2c73-5ae4-4f1c-99c0-fc726cd41798"),
  locked_at: instant("2019-08-24T14:15:22Z"),
  microfrontend_id: uuid("f1ea2a19-6836-4b1f-824d-8a04dfae4cc7"),
  name: null,
  status: like("INCOMPLETE"),
  step_name: like("Review"),
  updated_at: instant("2019-08-24T14:15:22Z"),
  workflow_instance_id: uuid("46ff49d0-5f69-46b0-9de7-5703639a02ce"),
};

describe("Maxsight v5 contract (consumer taskbridge, provider maxsight)", () => {
  beforeAll(() => {
    rmSync(pactFile, { force: true });
  });

  const pact = new PactV4({ consumer: "taskbridge", provider: "maxsight", dir, logLevel: "warn" });

  it("getTask: an existing task (seed 004)", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: SEED_TASK_ID })
      .uponReceiving("a request for an existing task")
      .withRequest("GET", taskPath(SEED_TASK_ID), (b) => b.headers(apikey(API_KEY)))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": regex("^application/json", "application/json") }).jsonBody(seedTaskBody),
      )
      .executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
        try {
          await expect(client.getTask(SEED_TASK_ID)).resolves.toEqual(expectedSeedTask());
        } finally {
          await client.close();
        }
      });
  });

  // The v5 error body is not documented: the 401 interaction asserts the status only, the 404s the docs' words.
  it("getTask: a task that does not exist → null", async () => {
    await pact
      .addInteraction()
      .given("task {id} does not exist", { id: MISSING_TASK_ID })
      .uponReceiving("a request for a task that does not exist")
      .withRequest("GET", taskPath(MISSING_TASK_ID), (b) => b.headers(apikey(API_KEY)))
      .willRespondWith(404, (b) => b.jsonBody(NOT_FOUND_BODY))
      .executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
        try {
          await expect(client.getTask(MISSING_TASK_ID)).resolves.toBeNull();
        } finally {
          await client.close();
        }
      });
  });

  it("getTask: an invalid API key → VendorUnauthorizedError", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: SEED_TASK_ID })
      .uponReceiving("a request for a task with an invalid API key")
      .withRequest("GET", taskPath(SEED_TASK_ID), (b) => b.headers(apikey(REVOKED_KEY)))
      .willRespondWith(401)
      .executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: REVOKED_KEY });
        try {
          const error = await client.getTask(SEED_TASK_ID).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(error).toBeInstanceOf(VendorUnauthorizedError);
          expect(error).toMatchObject({ kind: "unauthorized", vendor: "maxsight", status: 401 });
        } finally {
          await client.close();
        }
      });
  });

  describe("listTasks (POST /v5/tasks/search)", () => {
    const searchPath = "/v5/tasks/search";
    const completed = (count: number) => ({ count, status: "COMPLETED_PASS" });
    const search = (size: number, pageToken: unknown = null) => ({
      filter_model: { status: { filterType: "set", values: ["COMPLETED_PASS"] } },
      max_page_size: integer(size),
      page_token: pageToken,
      sorting_field: "TASK_ID",
      sorting_type: "ASC",
    });
    // What the client reads of a found task; the rest of the documented object is not needed.
    const found = {
      id: uuid(SEED_TASK_ID),
      status: like("COMPLETED_PASS"),
      created_at: instant("2019-08-24T14:15:22Z"),
      updated_at: instant("2019-08-24T14:15:22Z"),
      assignment: {
        assigned_to_id: uuid("73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6"),
        assigned_to_type: regex("^(USER|TEAM)$", "USER"),
      },
    };
    const searching = (
      b: { headers(h: Record<string, unknown>): { jsonBody(body: unknown): unknown } },
      body: unknown,
    ) => b.headers({ ...apikey(API_KEY), "Content-Type": "application/json" }).jsonBody(body);
    const done = { statuses: ["DONE" as const] };

    it("searches the first page and keeps next_page_token", async () => {
      await pact
        .addInteraction()
        .given("{count} tasks with status {status} exist", completed(3))
        .uponReceiving("a search for completed tasks, first page")
        .withRequest("POST", searchPath, (b) => searching(b, search(2)))
        .willRespondWith(200, (b) => b.jsonBody({ items: eachLike(found), next_page_token: like("eyJxIjoi.c2ln") }))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
          try {
            const page = await client.listTasks({ filter: done, pageSize: 2 });
            expect(page.items.map((i) => i.task)).toMatchObject([
              { id: SEED_TASK_ID, status: "DONE", vendorStatus: "COMPLETED_PASS", version: "2019-08-24T14:15:22Z" },
            ]);
            expect(page.next).toBe(encodePosition({ native: "eyJxIjoi.c2ln", seen: [] }));
          } finally {
            await client.close();
          }
        });
    });

    it("searches the last page: no token, no next position", async () => {
      await pact
        .addInteraction()
        .given("{count} tasks with status {status} exist", completed(1))
        .uponReceiving("a search for completed tasks that fit on one page")
        .withRequest("POST", searchPath, (b) => searching(b, search(2)))
        .willRespondWith(200, (b) => b.jsonBody({ items: eachLike(found), next_page_token: null }))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
          try {
            const page = await client.listTasks({ filter: done, pageSize: 2 });
            expect(page.items).toHaveLength(1);
            expect(page.next).toBeNull();
          } finally {
            await client.close();
          }
        });
    });

    it("finds nothing", async () => {
      await pact
        .addInteraction()
        .given("{count} tasks with status {status} exist", completed(0))
        .uponReceiving("a search for completed tasks when there are none")
        .withRequest("POST", searchPath, (b) => searching(b, search(20)))
        .willRespondWith(200, (b) => b.jsonBody({ items: [], next_page_token: null }))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
          try {
            expect(await client.listTasks({ filter: done, pageSize: 20 })).toEqual({
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

    // The v5 error body is not documented: the error interactions assert the status only.
    it("is refused a page token that is not (or no longer) valid", async () => {
      await pact
        .addInteraction()
        .given("{count} tasks with status {status} exist", completed(3))
        .uponReceiving("a search with an expired page token")
        .withRequest("POST", searchPath, (b) => searching(b, search(2, like("eyJxIjoi.expired"))))
        .willRespondWith(400)
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
          try {
            const position = encodePosition({ native: "eyJxIjoi.expired", seen: [] });
            const error = await client.listTasks({ filter: done, pageSize: 2, position }).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(VendorBadRequestError);
          } finally {
            await client.close();
          }
        });
    });

    it("is refused with an invalid API key", async () => {
      await pact
        .addInteraction()
        .uponReceiving("a search with an invalid API key")
        .withRequest("POST", searchPath, (b) =>
          b.headers({ ...apikey(REVOKED_KEY), "Content-Type": "application/json" }).jsonBody(search(20)),
        )
        .willRespondWith(401)
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: REVOKED_KEY });
          try {
            await expect(client.listTasks({ filter: done, pageSize: 20 })).rejects.toBeInstanceOf(
              VendorUnauthorizedError,
            );
          } finally {
            await client.close();
          }
        });
    });
  });

  describe("performAction (PUT /v5/tasks/{task_id}/update-assignment)", () => {
    const VERSION = "2019-08-24T14:15:22Z";
    const STALE = "2019-08-20T08:00:00Z";
    const ACTOR = "22930149-1fab-4145-94b5-af2031b8de65";
    const TEAM = "5b7c9d1e-3f5a-4b7c-9d1e-3f5a7b9c1d3e";
    const assignmentPath = (id: string) =>
      regex(`^/v5/tasks/${UUID_PATH}/update-assignment$`, `/v5/tasks/${id}/update-assignment`);
    const conditional = (
      b: { headers(h: Record<string, unknown>): { jsonBody(body: unknown): unknown } },
      version: string,
      body: unknown,
    ) =>
      b
        .headers({ ...apikey(API_KEY), "Content-Type": "application/json", "If-Match": instant(version) })
        .jsonBody(body);
    const reassign = {
      update: {
        assigned_by_id: uuid(ACTOR),
        assigned_to_id: uuid(TEAM),
        assigned_to_type: "TEAM",
        assignment_comment: like("Escalated"),
      },
    };
    const toTeam = {
      kind: "assign" as const,
      assignee: { id: TEAM, kind: "TEAM" as const },
      actorId: ACTOR,
      comment: "Escalated",
    };
    const readBack = () =>
      pact
        .addInteraction()
        .given("task {id} exists", { id: SEED_TASK_ID })
        .uponReceiving("a request for an existing task")
        .withRequest("GET", taskPath(SEED_TASK_ID), (b) => b.headers(apikey(API_KEY)))
        .willRespondWith(200, (b) =>
          b.headers({ "Content-Type": regex("^application/json", "application/json") }).jsonBody(seedTaskBody),
        );

    // The success answer is not documented: the contract asks for a 2xx only, and the task is read back.
    it("reassigns under the task's version, then reads the task back", async () => {
      pact
        .addInteraction()
        .given("task {id} exists", { id: SEED_TASK_ID })
        .uponReceiving("a request to reassign a task to a team under its current version")
        .withRequest("PUT", assignmentPath(SEED_TASK_ID), (b) => conditional(b, VERSION, reassign))
        .willRespondWith(200);
      await readBack().executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
        try {
          const { task } = await client.performAction(SEED_TASK_ID, { ...toTeam, expectedVersion: VERSION });
          expect(task).toMatchObject({ id: SEED_TASK_ID, version: VERSION });
        } finally {
          await client.close();
        }
      });
    });

    it("unassigns under the task's version, then reads the task back", async () => {
      pact
        .addInteraction()
        .given("task {id} exists", { id: SEED_TASK_ID })
        .uponReceiving("a request to unassign a task under its current version")
        .withRequest("PUT", assignmentPath(SEED_TASK_ID), (b) =>
          conditional(b, VERSION, { unassign: { assigned_by_id: uuid(ACTOR), assignment_comment: null } }),
        )
        .willRespondWith(200);
      await readBack().executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
        try {
          const outcome = await client.performAction(SEED_TASK_ID, {
            kind: "unassign",
            actorId: ACTOR,
            expectedVersion: VERSION,
          });
          expect(outcome.task?.id).toBe(SEED_TASK_ID);
        } finally {
          await client.close();
        }
      });
    });

    it("is refused a stale version: a conflict that carries the current version", async () => {
      pact
        .addInteraction()
        .given("task {id} exists", { id: SEED_TASK_ID })
        .uponReceiving("a request to reassign a task under a stale version")
        .withRequest("PUT", assignmentPath(SEED_TASK_ID), (b) => conditional(b, STALE, reassign))
        .willRespondWith(412);
      await readBack().executeTest(async (server) => {
        const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
        try {
          const error = await client
            .performAction(SEED_TASK_ID, { ...toTeam, expectedVersion: STALE })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(VendorConflictError);
          expect(error).toMatchObject({ status: 412, currentVersion: VERSION });
        } finally {
          await client.close();
        }
      });
    });

    it("is told the task does not exist", async () => {
      await pact
        .addInteraction()
        .given("task {id} does not exist", { id: MISSING_TASK_ID })
        .uponReceiving("a request to reassign a task that does not exist")
        .withRequest("PUT", assignmentPath(MISSING_TASK_ID), (b) => conditional(b, VERSION, reassign))
        .willRespondWith(404, (b) => b.jsonBody(NOT_FOUND_BODY))
        .executeTest(async (server) => {
          const client = createClient({ baseUrl: server.url, apiKey: API_KEY });
          try {
            await expect(
              client.performAction(MISSING_TASK_ID, { ...toTeam, expectedVersion: VERSION }),
            ).rejects.toBeInstanceOf(VendorNotFoundError);
          } finally {
            await client.close();
          }
        });
    });
  });
});
