import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import {
  encodePosition,
  VendorBadRequestError,
  VendorConflictError,
  VendorForbiddenError,
  VendorNotFoundError,
  VendorRateLimitedError,
  VendorUnauthorizedError,
} from "@taskbridge/model";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";

const { eachLike, integer, like, regex, uuid } = MatchersV3;

const dir = fileURLToPath(new URL("../../../../pact/pacts", import.meta.url));
const pact = new PactV4({ consumer: "taskbridge", provider: "cakewalk", dir, logLevel: "warn" });

// Contract credentials (the sandbox is started with these for provider verification).
const API_KEY = "ck_contract_key";
const API_SECRET = "ck_contract_secret";
const REVOKED_KEY = "ck_revoked";

const TASK_ID = "3f1c2a9e-7b4d-4e8a-9c61-0d5e8f2b7a10";
const MISSING_TASK_ID = "8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d";
const USER_ID = "6c95576d-e21e-4b4b-a15f-2a3b507f44c3";
const CLAIMER_ID = "0a46407a-2d05-4518-add2-6a45185ed99e";
const MISSING_USER_ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const ISO_TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,7})?(Z|[+-]\\d{2}:\\d{2})$";
const JSON_TYPE = "^application/json(\\s*;.*)?$";
// RFC 7807 bodies may come as application/problem+json; the spec lists application/json.
const PROBLEM_TYPE = "^application/(problem\\+)?json(\\s*;.*)?$";

const taskPath = (id: string) => regex(`^/api/v1/Tasks/${GUID}$`, `/api/v1/Tasks/${id}`);
const userPath = (id: string) => regex(`^/api/v1/Users/${GUID}$`, `/api/v1/Users/${id}`);

// Cakewalk's key format is not documented: any non-blank value is a plausible credential.
const auth = (apiKey = API_KEY) => ({
  "X-API-KEY": regex("^\\S+$", apiKey),
  "X-API-SECRET": regex("^\\S+$", API_SECRET),
});

const problem = (title: string, status: number) => ({ title: like(title), status: integer(status) });

const person = (id: string, name: string, email: string) => ({ id: uuid(id), name: like(name), email: like(email) });

function client(baseUrl: string, apiKey = API_KEY) {
  return createClient({ baseUrl, apiKey, apiSecret: API_SECRET });
}

beforeAll(() => {
  rmSync(`${dir}/taskbridge-cakewalk.json`, { force: true });
});

describe("cakewalk getTask", () => {
  it("reads an existing task", async () => {
    await pact
      .addInteraction()
      // status and type pin the shape this interaction needs: an InProgress task is claimed (assignedUser and
      // claimers present) and a RequestReviewTask carries its access request.
      .given("task {id} exists", { id: TASK_ID, status: "InProgress", type: "RequestReviewTask" })
      .uponReceiving("a request for an existing task")
      .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(auth()))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": regex(JSON_TYPE, "application/json; charset=utf-8") }).jsonBody({
          data: {
            id: uuid(TASK_ID),
            type: like("RequestReviewTask"),
            status: like("InProgress"),
            createdAt: regex(ISO_TIMESTAMP, "2026-03-20T18:35:10.209Z"),
            lastUpdatedAt: regex(ISO_TIMESTAMP, "2026-03-21T09:02:44.000Z"),
            assignedUser: person(USER_ID, "Alice Smith", "alice.smith@cakeacme.com"),
            claimers: eachLike(person(CLAIMER_ID, "Tom Johnson", "tom.johnson@cakeacme.com")),
            request: {
              id: uuid("9b2d4c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"),
              requestType: like("GrantAccess"),
              requestStatus: like("Pending"),
              requestedByUserId: uuid(CLAIMER_ID),
              workAppId: uuid("1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a"),
              requestPurpose: like("Needs Figma for the Q2 design sprint"),
            },
          },
        }),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const task = await cakewalk.getTask(TASK_ID);
          expect(task).toMatchObject({
            vendor: "cakewalk",
            id: TASK_ID,
            title: null,
            description: null,
            status: "IN_PROGRESS",
            vendorStatus: "InProgress",
            createdAt: "2026-03-20T18:35:10.209Z",
            updatedAt: "2026-03-21T09:02:44.000Z",
            assignees: [{ vendor: "cakewalk", id: USER_ID, kind: "USER", inline: { displayName: "Alice Smith" } }],
            details: {
              type: "RequestReviewTask",
              claimers: [{ id: CLAIMER_ID, displayName: "Tom Johnson", email: "tom.johnson@cakeacme.com" }],
              executedBy: null,
              snoozedTill: null,
              request: {
                type: "GrantAccess",
                status: "Pending",
                requestedByUserId: CLAIMER_ID,
                purpose: "Needs Figma for the Q2 design sprint",
              },
            },
          });
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("gets null for a task that does not exist", async () => {
    await pact
      .addInteraction()
      .given("task {id} does not exist", { id: MISSING_TASK_ID })
      .uponReceiving("a request for a task that does not exist")
      .withRequest("GET", taskPath(MISSING_TASK_ID), (b) => b.headers(auth()))
      .willRespondWith(404, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Not Found", 404)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          expect(await cakewalk.getTask(MISSING_TASK_ID)).toBeNull();
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is refused with a revoked API key", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID })
      .uponReceiving("a request for a task with a revoked API key")
      .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(auth(REVOKED_KEY)))
      .willRespondWith(401, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Unauthorized", 401)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url, REVOKED_KEY);
        try {
          const error = await cakewalk.getTask(TASK_ID).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(VendorUnauthorizedError);
          expect(error).toMatchObject({ status: 401, detail: "Unauthorized" });
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is told when to retry once the rate limit is exhausted", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID })
      .given("the rate limit is exhausted", { retryAfterSeconds: 30 })
      .uponReceiving("a request for a task after the rate limit is exhausted")
      .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(auth()))
      // docs.getcakewalk.io/open-api/rate-limits documents the status and Retry-After (seconds), not a body.
      .willRespondWith(429, (b) => b.headers({ "Retry-After": regex("^\\d+$", "30") }))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const error = await cakewalk.getTask(TASK_ID).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(VendorRateLimitedError);
          expect(error).toMatchObject({ status: 429, retryAfterMs: 30_000, limitedBy: "vendor" });
        } finally {
          await cakewalk.close();
        }
      });
  });
});

describe("cakewalk getPerson", () => {
  it("reads an existing user", async () => {
    await pact
      .addInteraction()
      .given("user {id} exists", { id: USER_ID })
      .uponReceiving("a request for an existing user")
      .withRequest("GET", userPath(USER_ID), (b) => b.headers(auth()))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": regex(JSON_TYPE, "application/json; charset=utf-8") }).jsonBody({
          data: { ...person(USER_ID, "Alice Smith", "alice.smith@cakeacme.com"), roleName: like("User") },
        }),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          expect(await cakewalk.getPerson(USER_ID)).toEqual({
            vendor: "cakewalk",
            id: USER_ID,
            kind: "USER",
            displayName: "Alice Smith",
            firstName: null,
            lastName: null,
            email: "alice.smith@cakeacme.com",
            username: null,
            roles: ["User"],
          });
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("gets null for a user that does not exist", async () => {
    await pact
      .addInteraction()
      .given("user {id} does not exist", { id: MISSING_USER_ID })
      .uponReceiving("a request for a user that does not exist")
      .withRequest("GET", userPath(MISSING_USER_ID), (b) => b.headers(auth()))
      .willRespondWith(404, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Not Found", 404)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          expect(await cakewalk.getPerson(MISSING_USER_ID)).toBeNull();
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is refused with a revoked API key", async () => {
    await pact
      .addInteraction()
      .given("user {id} exists", { id: USER_ID })
      .uponReceiving("a request for a user with a revoked API key")
      .withRequest("GET", userPath(USER_ID), (b) => b.headers(auth(REVOKED_KEY)))
      .willRespondWith(401, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Unauthorized", 401)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url, REVOKED_KEY);
        try {
          await expect(cakewalk.getPerson(USER_ID)).rejects.toBeInstanceOf(VendorUnauthorizedError);
        } finally {
          await cakewalk.close();
        }
      });
  });
});

describe("cakewalk listTasks (GET /api/v1/Tasks?userId=)", () => {
  const LIST_USER_ID = "4d7e9a1c-2b3f-4c5d-8e6f-7a8b9c0d1e2f";
  const userTasks = (count: number) => ({ userId: LIST_USER_ID, count, status: "Pending" });
  const listQuery = { userId: regex(`^${GUID}$`, LIST_USER_ID) };
  // TaskSimplifiedViewModelV1 was seen only in part: the contract asks for its required fields and nothing else.
  const listed = {
    id: uuid(TASK_ID),
    type: like("RequestReviewTask"),
    createdAt: regex(ISO_TIMESTAMP, "2026-03-20T18:35:10.209Z"),
    status: like("Pending"),
    lastUpdatedAt: regex(ISO_TIMESTAMP, "2026-03-21T09:02:44.000Z"),
  };
  const json = (b: { headers(h: Record<string, unknown>): { jsonBody(body: unknown): unknown } }, body: unknown) =>
    b.headers({ "Content-Type": regex(JSON_TYPE, "application/json; charset=utf-8") }).jsonBody(body);
  const SELF = `/api/v1/Tasks?userId=${LIST_USER_ID}`;
  const NEXT = `${SELF}&page%5Bcursor%5D=eyJxIjoi.c2ln`;

  it("reads the first page and keeps links.next as the next position", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(12))
      .uponReceiving("a request for the first page of a user's tasks")
      .withRequest("GET", "/api/v1/Tasks", (b) => b.query(listQuery).headers(auth()))
      .willRespondWith(200, (b) =>
        json(b, { data: eachLike(listed), links: { self: like(SELF), next: regex("^/api/v1/Tasks\\?\\S+$", NEXT) } }),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const page = await cakewalk.listTasks({ scope: LIST_USER_ID, pageSize: 20 });
          expect(page.items.map((i) => i.task)).toMatchObject([
            { id: TASK_ID, status: "TODO", vendorStatus: "Pending" },
          ]);
          expect(page.next).toBe(encodePosition({ native: NEXT, seen: [] }));
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("reads the last page: no links.next, no next position", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(3))
      .uponReceiving("a request for a user's tasks that fit on one page")
      .withRequest("GET", "/api/v1/Tasks", (b) => b.query(listQuery).headers(auth()))
      .willRespondWith(200, (b) => json(b, { data: eachLike(listed), links: { self: like(SELF), next: null } }))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const page = await cakewalk.listTasks({ scope: LIST_USER_ID, pageSize: 20 });
          expect(page.items).toHaveLength(1);
          expect(page.next).toBeNull();
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("reads an empty list", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(0))
      .uponReceiving("a request for the tasks of a user who has none")
      .withRequest("GET", "/api/v1/Tasks", (b) => b.query(listQuery).headers(auth()))
      .willRespondWith(200, (b) => json(b, { data: [], links: { self: like(SELF), next: null } }))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          expect(await cakewalk.listTasks({ scope: LIST_USER_ID, pageSize: 20 })).toEqual({
            items: [],
            next: null,
            totalCount: null,
            unreadable: [],
          });
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is refused a cursor that is not (or no longer) valid", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(12))
      .uponReceiving("a request for a user's tasks with an expired cursor")
      .withRequest("GET", "/api/v1/Tasks", (b) =>
        b.query({ ...listQuery, "page[cursor]": like("eyJxIjoi.expired") }).headers(auth()),
      )
      .willRespondWith(400, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Bad Request", 400)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        const native = `/api/v1/Tasks?userId=${LIST_USER_ID}&page%5Bcursor%5D=eyJxIjoi.expired`;
        try {
          const error = await cakewalk
            .listTasks({ scope: LIST_USER_ID, pageSize: 20, position: encodePosition({ native, seen: [] }) })
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(VendorBadRequestError);
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is refused with a revoked API key", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(3))
      .uponReceiving("a request for a user's tasks with a revoked API key")
      .withRequest("GET", "/api/v1/Tasks", (b) => b.query(listQuery).headers(auth(REVOKED_KEY)))
      .willRespondWith(401, (b) =>
        b
          .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
          .jsonBody(problem("Unauthorized", 401)),
      )
      .executeTest(async (server) => {
        const cakewalk = client(server.url, REVOKED_KEY);
        try {
          await expect(cakewalk.listTasks({ scope: LIST_USER_ID, pageSize: 20 })).rejects.toBeInstanceOf(
            VendorUnauthorizedError,
          );
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is told when to retry once the rate limit is exhausted", async () => {
    await pact
      .addInteraction()
      .given("user {userId} has {count} tasks with status {status}", userTasks(3))
      .given("the rate limit is exhausted", { retryAfterSeconds: 30 })
      .uponReceiving("a request for a user's tasks after the rate limit is exhausted")
      .withRequest("GET", "/api/v1/Tasks", (b) => b.query(listQuery).headers(auth()))
      .willRespondWith(429, (b) => b.headers({ "Retry-After": regex("^\\d+$", "30") }))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const error = await cakewalk.listTasks({ scope: LIST_USER_ID, pageSize: 20 }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(VendorRateLimitedError);
          expect(error).toMatchObject({ retryAfterMs: 30_000 });
        } finally {
          await cakewalk.close();
        }
      });
  });
});

describe("cakewalk performAction (POST /api/v1/Tasks/{taskId}/Approve and /Decline)", () => {
  const approvePath = (id: string) => regex(`^/api/v1/Tasks/${GUID}/Approve$`, `/api/v1/Tasks/${id}/Approve`);
  const declinePath = (id: string) => regex(`^/api/v1/Tasks/${GUID}/Decline$`, `/api/v1/Tasks/${id}/Decline`);
  const writeHeaders = () => ({ ...auth(), "Content-Type": regex(JSON_TYPE, "application/json") });
  const problemResponse =
    (status: number, title: string) =>
    (b: { headers(h: Record<string, unknown>): { jsonBody(body: unknown): unknown } }) =>
      b
        .headers({ "Content-Type": regex(PROBLEM_TYPE, "application/problem+json; charset=utf-8") })
        .jsonBody(problem(title, status));
  // The answer to a decision is not documented: the contract asks for a 2xx only, and the task is read back.
  const readBack = (status: string) =>
    pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID, status, type: "RequestReviewTask" })
      .uponReceiving(`a request for a task that is ${status}`)
      .withRequest("GET", taskPath(TASK_ID), (b) => b.headers(auth()))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": regex(JSON_TYPE, "application/json; charset=utf-8") }).jsonBody({
          data: {
            id: uuid(TASK_ID),
            type: like("RequestReviewTask"),
            status: like(status),
            createdAt: regex(ISO_TIMESTAMP, "2026-03-20T18:35:10.209Z"),
            lastUpdatedAt: regex(ISO_TIMESTAMP, "2026-03-22T08:00:00.000Z"),
          },
        }),
      );

  it("approves a pending task with a justification, then reads it back", async () => {
    pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID, status: "Pending", type: "RequestReviewTask" })
      .uponReceiving("a request to approve a pending task with a justification")
      .withRequest("POST", approvePath(TASK_ID), (b) =>
        b.headers(writeHeaders()).jsonBody({ justification: like("Needed for the Q3 audit") }),
      )
      .willRespondWith(200);
    await readBack("Approved").executeTest(async (server) => {
      const cakewalk = client(server.url);
      try {
        const { task } = await cakewalk.performAction(TASK_ID, { kind: "approve", comment: "Needed for the Q3 audit" });
        expect(task).toMatchObject({ id: TASK_ID, status: "DONE", vendorStatus: "Approved" });
      } finally {
        await cakewalk.close();
      }
    });
  });

  it("declines a task in progress, then reads it back", async () => {
    pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID, status: "InProgress", type: "RequestReviewTask" })
      .uponReceiving("a request to decline a task in progress")
      .withRequest("POST", declinePath(TASK_ID), (b) => b.headers(writeHeaders()).jsonBody({}))
      .willRespondWith(200);
    await readBack("Declined").executeTest(async (server) => {
      const cakewalk = client(server.url);
      try {
        const { task } = await cakewalk.performAction(TASK_ID, { kind: "decline" });
        expect(task).toMatchObject({ id: TASK_ID, status: "CANCELLED", vendorStatus: "Declined" });
      } finally {
        await cakewalk.close();
      }
    });
  });

  it("is refused approving a task that is already approved (409)", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID, status: "Approved", type: "RequestReviewTask" })
      .uponReceiving("a request to approve a task that is already approved")
      .withRequest("POST", approvePath(TASK_ID), (b) => b.headers(writeHeaders()).jsonBody({}))
      .willRespondWith(409, problemResponse(409, "Conflict"))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          const error = await cakewalk.performAction(TASK_ID, { kind: "approve" }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(VendorConflictError);
          expect(error).toMatchObject({ status: 409, currentVersion: undefined });
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is refused with a read-only API key (403)", async () => {
    await pact
      .addInteraction()
      .given("task {id} exists", { id: TASK_ID, status: "Pending", type: "RequestReviewTask" })
      .given("the API key is read-only")
      .uponReceiving("a request to approve a task with a read-only API key")
      .withRequest("POST", approvePath(TASK_ID), (b) => b.headers(writeHeaders()).jsonBody({}))
      .willRespondWith(403, problemResponse(403, "Forbidden"))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          await expect(cakewalk.performAction(TASK_ID, { kind: "approve" })).rejects.toBeInstanceOf(
            VendorForbiddenError,
          );
        } finally {
          await cakewalk.close();
        }
      });
  });

  it("is told the task does not exist (404)", async () => {
    await pact
      .addInteraction()
      .given("task {id} does not exist", { id: MISSING_TASK_ID })
      .uponReceiving("a request to approve a task that does not exist")
      .withRequest("POST", approvePath(MISSING_TASK_ID), (b) => b.headers(writeHeaders()).jsonBody({}))
      .willRespondWith(404, problemResponse(404, "Not Found"))
      .executeTest(async (server) => {
        const cakewalk = client(server.url);
        try {
          await expect(cakewalk.performAction(MISSING_TASK_ID, { kind: "approve" })).rejects.toBeInstanceOf(
            VendorNotFoundError,
          );
        } finally {
          await cakewalk.close();
        }
      });
  });
});
