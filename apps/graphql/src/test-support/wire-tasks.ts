/**
 * Test support: each vendor's smallest valid task, answered the way its getTask does (the body its wire schema
 * wants), for loopback servers that pose as the vendors.
 */

export const WIRE_NOW = "2026-06-15T10:00:00Z";

const MAX_AI_ID = "tsk_a1b2c3d456784abc9def0123456789ab";
const CAKEWALK_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const CAPY_ID = "550e8400-e29b-41d4-a716-446655440000";
const MAXSIGHT_ID = "6c1d8d2e-5f0a-4c59-9d7e-0f0e8a1b2c3d";

/** By GraphQL `Vendor` name: the task's id as a caller asks for it, and its getTask body with `extra` in the task. */
export const WIRE_TASKS = {
  MAX_AI: {
    id: MAX_AI_ID,
    answer: (extra: object = {}) => ({
      code: "success",
      data: {
        id: MAX_AI_ID,
        status: "new",
        syncStatus: "pending",
        notes: "n",
        ehrType: "modmed",
        assignedProviders: [],
        createdAt: "2026-03-20 18:35:10.209452+00",
        updatedAt: "2026-03-20 18:35:10.209452+00",
        ...extra,
      },
    }),
  },
  CAKEWALK: {
    id: CAKEWALK_ID,
    answer: (extra: object = {}) => ({
      data: {
        id: CAKEWALK_ID,
        type: "RequestReviewTask",
        status: "Approved",
        createdAt: WIRE_NOW,
        lastUpdatedAt: WIRE_NOW,
        ...extra,
      },
      links: { self: `/api/v1/Tasks/${CAKEWALK_ID}`, next: null },
    }),
  },
  CAPY: {
    id: CAPY_ID,
    answer: (extra: object = {}) => ({
      id: CAPY_ID,
      projectId: "proj-1",
      threadIndex: 0,
      identifier: "SCO-1",
      title: "t",
      prompt: "p",
      status: "in_progress",
      pullRequest: null,
      slackThreads: [],
      currentJamId: null,
      createdAt: WIRE_NOW,
      updatedAt: WIRE_NOW,
      threadId: null,
      ...extra,
    }),
  },
  MAXSIGHT: {
    id: MAXSIGHT_ID,
    answer: (extra: object = {}) => ({
      id: MAXSIGHT_ID,
      status: "INCOMPLETE",
      created_at: WIRE_NOW,
      updated_at: WIRE_NOW,
      ...extra,
    }),
  },
};
