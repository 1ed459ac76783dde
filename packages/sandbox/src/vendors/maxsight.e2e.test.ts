import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../sandbox.ts";
import { json } from "../testing/http.ts";
import { MaxsightMessage, MaxsightTask } from "../testing/wire-schemas.ts";

describe("Maxsight simulator", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  const v = () => sandbox.vendors.maxsight;
  const get = (path: string, headers: Record<string, string> = { apikey: v().credentials.apiKey }) =>
    json(`${v().url}${path}`, { headers });

  it("serves seed 004 verbatim, without an envelope", async () => {
    const res = await get("/v5/tasks/497f6eca-6276-4993-bfeb-53cbbbba6f08");
    expect(res.status).toBe(200);
    expect(MaxsightTask.parse(res.body)).toEqual({
      assessment_id: "9f60a03f-b3de-4b19-9361-0380d9aa1e9e",
      assessment_template_id: "af8498c1-32bd-4453-b407-761eb6440e9b",
      assignment: {
        assigned_by_id: "22930149-1fab-4145-94b5-af2031b8de65",
        assigned_to_id: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6",
        assigned_to_type: "USER",
        assignment_comment: null,
      },
      c_name: "Review documentation",
      created_at: "2019-08-24T14:15:22Z",
      custom_metadata: null,
      data_version: 0,
      entity_id: "8161163a-f227-466f-bc01-090a01e80165",
      id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      institution_id: "c75f2c73-5ae4-4f1c-99c0-fc726cd41798",
      locked_at: "2019-08-24T14:15:22Z",
      microfrontend_id: "f1ea2a19-6836-4b1f-824d-8a04dfae4cc7",
      name: null,
      status: "INCOMPLETE",
      step_name: "Review",
      updated_at: "2019-08-24T14:15:22Z",
      workflow_instance_id: "46ff49d0-5f69-46b0-9de7-5703639a02ce",
    });
  });

  it("serves TEAM-assigned and unassigned tasks", async () => {
    const team = MaxsightTask.parse((await get(`/v5/tasks/${v().seed.teamAssigned[0]}`)).body);
    expect(team.assignment?.assigned_to_type).toBe("TEAM");
    const none = MaxsightTask.parse((await get(`/v5/tasks/${v().seed.unassigned[0]}`)).body);
    expect(none.assignment).toBeNull();
  });

  it("answers 401 without a valid apikey and 404 for unknown or malformed ids", async () => {
    for (const headers of [{} as Record<string, string>, { apikey: "ms_revoked" }]) {
      const res = await get(`/v5/tasks/${v().seed.example.taskId}`, headers);
      expect(res.status).toBe(401);
      MaxsightMessage.parse(res.body);
    }
    for (const id of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const res = await get(`/v5/tasks/${id}`);
      expect(res.status).toBe(404);
      expect(MaxsightMessage.parse(res.body).message).toBe("Task not found");
    }
  });

  it("provider states upsert and remove tasks", async () => {
    const id = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d";
    v().states["task {id} exists"]?.({ id });
    expect(MaxsightTask.parse((await get(`/v5/tasks/${id}`)).body).id).toBe(id);
    v().states["task {id} exists"]?.({ id, status: "COMPLETED_FAIL", assignedToType: "TEAM" });
    const pinned = MaxsightTask.parse((await get(`/v5/tasks/${id}`)).body);
    expect(pinned.status).toBe("COMPLETED_FAIL");
    expect(pinned.assignment?.assigned_to_type).toBe("TEAM");
    v().states["task {id} does not exist"]?.({ id: v().seed.example.taskId });
    expect((await get(`/v5/tasks/${v().seed.example.taskId}`)).status).toBe(404);
  });
});
