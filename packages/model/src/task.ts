import { z } from "zod";
import { VendorContractViolationError } from "./errors.ts";
import { AssigneeRef, Person } from "./person.ts";
import { TaskStatus } from "./status.ts";
import { IsoTimestamp } from "./timestamp.ts";
import { type KnownVendor, Vendor } from "./vendor.ts";

const common = {
  /** The vendor's own id for the task, in the client's documented canonical form. */
  id: z.string().min(1),
  title: z.string().nullable(),
  description: z.string().nullable(),
  status: TaskStatus,
  /** The vendor's status exactly as sent, so nothing is lost when `status` is UNKNOWN. */
  vendorStatus: z.string(),
  /** null only when the vendor's value could not be read (see `problems`). */
  createdAt: IsoTimestamp.nullable(),
  /** null only when the vendor's value could not be read (see `problems`). */
  updatedAt: IsoTimestamp.nullable(),
  /** Empty when the task has none. */
  assignees: z.array(AssigneeRef),
  /** The vendor's payload, untouched. */
  raw: z.record(z.string(), z.unknown()),
  /**
   * The vendor's concurrency token for conditional changes, exactly as sent (Maxsight: `updated_at`, which
   * update-assignment takes in If-Match). Absent where the vendor has no conditional changes.
   */
  version: z.string().min(1).optional(),
};

export const MaxAiDetails = z.object({
  syncStatus: z.string(),
  ehrType: z.string(),
  /** `nte_` + 32 hex; null for tasks not anchored to a visit. */
  noteId: z.string().nullable(),
});

export const CakewalkRequest = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  requestedByUserId: z.string(),
  workAppId: z.string(),
  purpose: z.string().nullable(),
});

export const CakewalkDetails = z.object({
  type: z.string(),
  request: CakewalkRequest.nullable(),
  claimers: z.array(Person),
  executedBy: Person.nullable(),
  snoozedTill: IsoTimestamp.nullable(),
});

export const SlackThread = z.object({
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  url: z.string(),
});

export const CapyDetails = z.object({
  projectId: z.string(),
  identifier: z.string(),
  prompt: z.string(),
  pullRequest: z.unknown().nullable(),
  slackThreads: z.array(SlackThread),
  threadId: z.string().nullable(),
});

export const MaxsightDetails = z.object({
  stepName: z.string().nullable(),
  workflowInstanceId: z.string().nullable(),
  assessmentId: z.string().nullable(),
  entityId: z.string().nullable(),
  institutionId: z.string().nullable(),
  lockedAt: IsoTimestamp.nullable(),
  /** Up to ±(2^53 − 1): a larger `data_version` is unreadable (see `problems`). */
  dataVersion: z.number().int().nullable(),
});

/**
 * The fields a vendor answer can leave unreadable, each with the contract violation that says why (its `field` is
 * the vendor's own field name; its status the answer's). Such a field is null and the rest of the task, `raw`
 * included, is as mapped: the field an answer allowed by the vendor's document breaks is all it costs. Absent when
 * every field was read. The keys are the only fields that can be null for that reason.
 */
function problems<const F extends readonly [string, ...string[]]>(fields: F) {
  return z.partialRecord(z.enum(fields), z.instanceof(VendorContractViolationError)).optional();
}

/** Max AI types ids and timestamps as plain strings: the task's, its providers' and the note's. */
export const MAXAI_UNREADABLE = ["createdAt", "updatedAt", "assignees", "details.noteId"] as const;
export const CAKEWALK_UNREADABLE = ["createdAt", "updatedAt", "details.snoozedTill"] as const;
/** Capy types timestamps as plain strings. */
export const CAPY_UNREADABLE = ["createdAt", "updatedAt"] as const;
/** `data_version` is an integer of any size: one beyond ±(2^53 − 1) cannot be read exactly. */
export const MAXSIGHT_UNREADABLE = ["createdAt", "updatedAt", "details.lockedAt", "details.dataVersion"] as const;

export const MaxAiTask = z.object({
  vendor: z.literal("maxai"),
  ...common,
  /** null only when an assigned provider's id could not be read (see `problems`). */
  assignees: z.array(AssigneeRef).nullable(),
  details: MaxAiDetails,
  problems: problems(MAXAI_UNREADABLE),
});
export const CakewalkTask = z.object({
  vendor: z.literal("cakewalk"),
  ...common,
  details: CakewalkDetails,
  problems: problems(CAKEWALK_UNREADABLE),
});
export const CapyTask = z.object({
  vendor: z.literal("capy"),
  ...common,
  details: CapyDetails,
  problems: problems(CAPY_UNREADABLE),
});
export const MaxsightTask = z.object({
  vendor: z.literal("maxsight"),
  ...common,
  details: MaxsightDetails,
  problems: problems(MAXSIGHT_UNREADABLE),
});

/** A task of a vendor this package knows; narrowing on `vendor` narrows `details`. */
export const Task = z.discriminatedUnion("vendor", [MaxAiTask, CakewalkTask, CapyTask, MaxsightTask]);
export type Task = z.infer<typeof Task>;

/**
 * A task of any vendor: the common fields, and `details` as the vendor's own fields. Every Task is one; a vendor
 * whose details this package does not type maps its tasks to this shape.
 */
export const AnyTask = z.object({
  vendor: Vendor,
  ...common,
  /** null only when an assignee could not be read (see `problems`). */
  assignees: z.array(AssigneeRef).nullable(),
  details: z.record(z.string(), z.unknown()),
  problems: z.partialRecord(z.string(), z.instanceof(VendorContractViolationError)).optional(),
});
export type AnyTask<V extends Vendor = Vendor> = Omit<z.infer<typeof AnyTask>, "vendor"> & { vendor: V };

/** The task type of vendor `V`: its typed Task when this package knows it, else AnyTask. */
export type TaskOf<V extends Vendor> = V extends KnownVendor ? Extract<Task, { vendor: V }> : AnyTask<V>;
export type MaxAiTask = z.infer<typeof MaxAiTask>;
export type CakewalkTask = z.infer<typeof CakewalkTask>;
export type CapyTask = z.infer<typeof CapyTask>;
export type MaxsightTask = z.infer<typeof MaxsightTask>;

/** The fields of task type `T` that a vendor answer can leave unreadable (the keys of its `problems`). */
export type UnreadableField<T extends { problems?: object | undefined }> = Extract<
  keyof NonNullable<T["problems"]>,
  string
>;
