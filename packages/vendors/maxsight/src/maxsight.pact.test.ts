import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { VendorUnauthorizedError } from "@taskbridge/model";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";
import { expectedSeedTask, SEED_TASK_ID } from "./test-support.ts";

const { like, integer, regex, uuid } = MatchersV3;

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

  // The v5 error body is not documented, so the 404 and 401 interactions assert the status only.
  it("getTask: a task that does not exist → null", async () => {
    await pact
      .addInteraction()
      .given("task {id} does not exist", { id: MISSING_TASK_ID })
      .uponReceiving("a request for a task that does not exist")
      .withRequest("GET", taskPath(MISSING_TASK_ID), (b) => b.headers(apikey(API_KEY)))
      .willRespondWith(404)
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
});
