import type { MaxsightTask } from "@taskbridge/model";
import fixture from "./fixtures/task-004.json" with { type: "json" };

/** The seed 004 example ("Retrieve a task from its ID"), copied unchanged into fixtures/task-004.json. */
export const SEED_TASK: Readonly<Record<string, unknown>> = fixture;
export const SEED_TASK_ID = "497f6eca-6276-4993-bfeb-53cbbbba6f08";

/** A fresh deep copy of the seed example, for tests that change fields. */
export function seedTask(): Record<string, unknown> {
  return structuredClone(fixture) as Record<string, unknown>;
}

/** The canonical Task the seed example must map to, written by hand. */
export function expectedSeedTask(): MaxsightTask {
  return {
    vendor: "maxsight",
    id: "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    title: "Review documentation",
    description: null,
    status: "IN_PROGRESS",
    vendorStatus: "INCOMPLETE",
    createdAt: "2019-08-24T14:15:22.000Z",
    updatedAt: "2019-08-24T14:15:22.000Z",
    assignees: [{ vendor: "maxsight", id: "73c0fde6-eb34-47d5-8ccc-1b1d0aa325b6", kind: "USER", inline: null }],
    raw: seedTask(),
    version: "2019-08-24T14:15:22Z",
    details: {
      stepName: "Review",
      workflowInstanceId: "46ff49d0-5f69-46b0-9de7-5703639a02ce",
      assessmentId: "9f60a03f-b3de-4b19-9361-0380d9aa1e9e",
      entityId: "8161163a-f227-466f-bc01-090a01e80165",
      institutionId: "c75f2c73-5ae4-4f1c-99c0-fc726cd41798",
      lockedAt: "2019-08-24T14:15:22.000Z",
      dataVersion: 0,
    },
  };
}
