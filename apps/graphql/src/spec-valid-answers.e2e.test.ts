/**
 * Issue 22 item 5, as a property over the real service: whatever a vendor answers within its own document (payloads
 * generated from the client's wire schema with the documented field types), the answer is the mapped task, perhaps
 * with errors at the fields the model could not read, or, when the task's id is unreadable or another task's, one
 * VENDOR_CONTRACT_VIOLATION for the task. Never INTERNAL_SERVER_ERROR, never anything but HTTP 200.
 */
import { normalizeTimestamp } from "@taskbridge/model";
import type { Vendor } from "@taskbridge/sandbox";
import { TaskWire as CakewalkTaskWire } from "@taskbridge/vendor-cakewalk";
import { TaskWire as CapyTaskWire } from "@taskbridge/vendor-capy";
import { TaskWire as MaxAiTaskWire } from "@taskbridge/vendor-maxai";
import { TaskWire as MaxsightTaskWire } from "@taskbridge/vendor-maxsight";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { type Stack, startStack } from "./e2e-support.ts";
import { answerTaskRead, type Json, VENDOR_ANSWERS } from "./test-support/vendor-answers.ts";
import {
  anyInteger,
  jsonText,
  type Overrides,
  oddString,
  plainStringTimestamp,
  rfc3339,
  uuid,
  wireArbitrary,
} from "./test-support/wire-arbitrary.ts";

const RUNS = 100;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ logLevel: "error" });
});
afterAll(() => stack.close());

/** A task id as a vendor may send it, and whether it is the asked task's. */
interface SentId {
  id: string;
  same: boolean;
}

interface VendorCase {
  wire: z.ZodType;
  overrides: Overrides;
  /** Ids that name the asked task (other forms of it), from the asked id. */
  sameIds: (asked: string) => string[];
  /** The fields of this vendor's task type that a problem can make null, GraphQL name → wire field. */
  unreadable: Record<string, string>;
  /** Wire timestamp fields: GraphQL name → wire name (their readable values are checked exactly). */
  timestamps: Record<string, string>;
  fragment: string;
}

const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
/** A Max AI id of `prefix` as the spec allows it (a plain string): either dialect, or anything. */
const maxAiId = (prefix: string) =>
  fc.oneof(
    hex32.map((hex) => `${prefix}_${hex}`),
    hex32.map(dashed),
    oddString,
  );
const uuidCase = (asked: string) => [asked, asked.toUpperCase()];

const CASES: Record<Vendor, VendorCase> = {
  maxai: {
    wire: MaxAiTaskWire,
    overrides: {
      status: fc.constantFrom("new", "not_started", "in_progress", "completed", "cancelled", "deleted"),
      syncStatus: fc.constantFrom("pending", "syncing", "synced", "failed"),
      ehrType: fc.constantFrom("modmed", "ezderm"),
      createdAt: plainStringTimestamp,
      updatedAt: plainStringTimestamp,
      noteId: maxAiId("nte"),
      "assignedProviders[].id": maxAiId("prv"),
    },
    sameIds: (asked) => {
      const v2 = dashed(asked.slice(4));
      return [asked, v2, v2.toUpperCase()];
    },
    unreadable: {
      createdAt: "createdAt",
      updatedAt: "updatedAt",
      assignedProviders: "assignedProviders",
      noteId: "noteId",
    },
    timestamps: { createdAt: "createdAt", updatedAt: "updatedAt" },
    fragment: "... on MaxAiTask { noteId syncStatus ehrType }",
  },
  cakewalk: {
    wire: CakewalkTaskWire,
    overrides: {
      status: fc.constantFrom(
        "Approved",
        "Declined",
        "InProgress",
        "Pending",
        "Blocked",
        "Drafted",
        "NoClaimers",
        "Cancelled",
      ),
      type: fc.constantFrom(
        "StandAloneBrowserExtensionInstallationTask",
        "StandAloneReviewOffboardingTask",
        "StandAloneReviewOnboardingTask",
        "RequestReviewTask",
        "RequestActionTask",
      ),
      createdAt: rfc3339,
      lastUpdatedAt: rfc3339,
      snoozedTill: fc.option(rfc3339, { nil: null }),
      "assignedUser.id": uuid,
      "claimers[].id": uuid,
      "executedByUser.id": uuid,
      "request.id": uuid,
      "request.requestedByUserId": uuid,
      "request.workAppId": uuid,
    },
    sameIds: uuidCase,
    unreadable: { createdAt: "createdAt", updatedAt: "lastUpdatedAt", snoozedTill: "snoozedTill" },
    timestamps: { createdAt: "createdAt", updatedAt: "lastUpdatedAt", snoozedTill: "snoozedTill" },
    fragment: "... on CakewalkTask { type snoozedTill claimers { vendorId } executedBy { vendorId } }",
  },
  capy: {
    wire: CapyTaskWire,
    overrides: {
      status: fc.constantFrom("backlog", "queued", "in_progress", "needs_review", "completed", "error", "archived"),
      createdAt: plainStringTimestamp,
      updatedAt: plainStringTimestamp,
      // The spec says `type: null` today; any JSON is kept as it is.
      pullRequest: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 4 })),
    },
    sameIds: uuidCase,
    unreadable: { createdAt: "createdAt", updatedAt: "updatedAt" },
    timestamps: { createdAt: "createdAt", updatedAt: "updatedAt" },
    fragment: "... on CapyTask { identifier prompt pullRequest slackThreads { url } threadId }",
  },
  maxsight: {
    wire: MaxsightTaskWire,
    overrides: {
      created_at: rfc3339,
      updated_at: rfc3339,
      locked_at: fc.option(rfc3339, { nil: null }),
      data_version: anyInteger,
      assessment_id: uuid,
      entity_id: uuid,
      institution_id: uuid,
      workflow_instance_id: uuid,
      "assignment.assigned_to_id": fc.option(uuid, { nil: null }),
      "assignment.assigned_to_type": fc.constantFrom("USER", "TEAM", null),
    },
    sameIds: uuidCase,
    unreadable: {
      createdAt: "created_at",
      updatedAt: "updated_at",
      lockedAt: "locked_at",
      dataVersion: "data_version",
    },
    timestamps: { createdAt: "created_at", updatedAt: "updated_at", lockedAt: "locked_at" },
    fragment: "... on MaxsightTask { stepName lockedAt dataVersion }",
  },
};

/** The task's id as sent: the asked task in each form the vendor may write it, another task, or any string. */
function sentIds(vendorCase: VendorCase, asked: string): fc.Arbitrary<SentId> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...vendorCase.sameIds(asked)).map((id) => ({ id, same: true })) },
    { weight: 1, arbitrary: uuid.filter((id) => id.toLowerCase() !== asked).map((id) => ({ id, same: false })) },
    {
      weight: 1,
      arbitrary: oddString.filter((id) => !vendorCase.sameIds(asked).includes(id)).map((id) => ({ id, same: false })),
    },
  );
}

describe.each(Object.keys(CASES) as Vendor[])("%s: a spec-valid answer", (vendor) => {
  const vendorCase = CASES[vendor];
  const shape = VENDOR_ANSWERS[vendor];

  it(`is the mapped task, field errors where unreadable, or one contract violation for its id (${RUNS} answers)`, async () => {
    const asked = shape.exampleId(stack.sandbox);
    const query = `query T($id: ID!) { task(id: $id, vendor: ${shape.graphql}) {
      id vendorId status vendorStatus title description createdAt updatedAt raw
      assignedProviders { vendorId kind }
      ${vendorCase.fragment}
    } }`;
    const payload = fc
      .tuple(wireArbitrary(vendorCase.wire, vendorCase.overrides), sentIds(vendorCase, asked))
      .map(([task, sent]) => ({ task: { ...(task as Json), id: sent.id } as Json, same: sent.same }));
    // What the answers led to, so a generator that stopped producing unreadable fields or foreign ids fails the
    // test (each is a quarter or more of the answers; a task read whole is rarer and checked whenever it comes).
    const seen = { fieldErrors: 0, refused: 0 };

    await fc.assert(
      fc.asyncProperty(payload, async ({ task, same }) => {
        const text = jsonText(shape.wrap(task));
        const parsed = shape.taskOf(JSON.parse(text));
        // The generator keeps to the vendor's document, so the client's wire schema takes every payload (the id
        // aside: an empty one is the identity's problem).
        expect(vendorCase.wire.safeParse({ ...parsed, id: asked }).success).toBe(true);
        answerTaskRead(stack.sandbox, vendor, { body: text }, asked);
        const result = await stack.gql(query, { variables: { id: asked } });

        expect(result.status).toBe(200);
        const errors: { path: (string | number)[]; extensions: Record<string, unknown> }[] = result.body.errors ?? [];
        for (const error of errors) {
          expect(error.extensions).toMatchObject({
            code: "VENDOR_CONTRACT_VIOLATION",
            vendor: shape.graphql,
            upstreamStatus: 200,
          });
        }
        const read = result.body.data.task;
        if (!same) {
          // Only the identity fails the whole task.
          expect(read).toBeNull();
          expect(errors).toMatchObject([{ path: ["task"] }]);
          // Named by the mapper ("id"), or by the wire schema as its path in the answer (inside an envelope: "data.id").
          expect(errors[0]?.extensions.field ?? "id").toMatch(/^(data\.)?id$/);
          seen.refused += 1;
          return;
        }
        expect(read).not.toBeNull();
        const sentTask = shape.taskOf(JSON.parse(JSON.stringify(JSON.parse(text)))) as Json;
        expect(read.raw).toEqual(sentTask);
        expect(read.vendorStatus).toBe(task.status);
        const problems = new Map(errors.map((error) => [error.path.slice(1).join("."), error.extensions.field]));
        if (problems.size > 0) seen.fieldErrors += 1;
        for (const [field, wireField] of problems) {
          expect(field in vendorCase.unreadable, `an error at ${field}`).toBe(true);
          expect(read[field]).toBeNull();
          expect(String(wireField).startsWith(vendorCase.unreadable[field] as string)).toBe(true);
        }
        for (const [field, wireField] of Object.entries(vendorCase.timestamps)) {
          const value = sentTask[wireField];
          if (value === null || value === undefined || (value === "" && field === "snoozedTill")) continue;
          const readable = canonical(value as string);
          expect(problems.has(field), `${field} from ${JSON.stringify(value).slice(0, 60)}`).toBe(readable === null);
          expect(read[field]).toBe(readable);
        }
        if (vendor === "maxsight") {
          // As JSON.parse reads it: past 2^53 − 1 inexactly, past 1e308 as Infinity.
          const dataVersion = parsed.data_version;
          if (dataVersion === null || dataVersion === undefined) expect(read.dataVersion).toBeNull();
          else if (Number.isSafeInteger(dataVersion))
            expect([problems.has("dataVersion"), read.dataVersion]).toEqual([false, dataVersion]);
          else expect([problems.get("dataVersion"), read.dataVersion]).toEqual(["data_version", null]);
        }
      }),
      { numRuns: RUNS },
    );
    expect(Math.min(...Object.values(seen)), JSON.stringify(seen)).toBeGreaterThan(0);
  });
});

/** The canonical form of a timestamp, or null when the model cannot read it. */
function canonical(value: string): string | null {
  try {
    return normalizeTimestamp(value);
  } catch {
    return null;
  }
}
