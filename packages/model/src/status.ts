import { z } from "zod";
import type { KnownVendor, Vendor } from "./vendor.ts";

/** The canonical status set. Every vendor value maps onto one of these; values we do not know map to UNKNOWN. */
export const TASK_STATUSES = [
  "TODO",
  "IN_PROGRESS",
  "BLOCKED",
  "IN_REVIEW",
  "DONE",
  "CANCELLED",
  "FAILED",
  "ARCHIVED",
  "UNKNOWN",
] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

type KnownStatus = Exclude<TaskStatus, "UNKNOWN">;

/**
 * One table per vendor, keyed by the vendor's own value (case-sensitive, exactly as the vendor sends it).
 * Sources: Max AI v2 OpenAPI `ExternalTaskResponse.status`; Cakewalk `TaskStatus`; Capy v1 `Task.status`;
 * Maxsight v5 docs (INCOMPLETE) plus the legacy API's COMPLETED_PASS / COMPLETED_FAIL.
 * Frozen: the tables are shared by every client, so nobody may patch them at run time.
 */
export const STATUS_TABLES: Readonly<Record<KnownVendor, Readonly<Record<string, KnownStatus>>>> = deepFreeze({
  maxai: {
    new: "TODO",
    not_started: "TODO",
    in_progress: "IN_PROGRESS",
    completed: "DONE",
    cancelled: "CANCELLED",
    deleted: "ARCHIVED",
  },
  cakewalk: {
    Drafted: "TODO",
    Pending: "TODO",
    NoClaimers: "BLOCKED",
    Blocked: "BLOCKED",
    InProgress: "IN_PROGRESS",
    Approved: "DONE",
    Declined: "CANCELLED",
    Cancelled: "CANCELLED",
  },
  capy: {
    backlog: "TODO",
    queued: "TODO",
    in_progress: "IN_PROGRESS",
    needs_review: "IN_REVIEW",
    completed: "DONE",
    error: "FAILED",
    archived: "ARCHIVED",
  },
  maxsight: {
    INCOMPLETE: "IN_PROGRESS",
    COMPLETED_PASS: "DONE",
    COMPLETED_FAIL: "FAILED",
  },
});

/**
 * Maps a vendor's raw status to the canonical set. Never throws: anything unknown is UNKNOWN (vendor enums
 * are open). Own-key lookups only, so "constructor" or "__proto__" cannot reach Object.prototype, even when
 * an untyped caller passes a vendor or status that is not a string.
 */
export function canonicalStatus(vendor: Vendor, vendorStatus: string): TaskStatus {
  if (!Object.hasOwn(STATUS_TABLES, vendor)) return "UNKNOWN";
  return statusFrom(STATUS_TABLES[vendor as KnownVendor], vendorStatus);
}

/** A vendor's status table: its own value → canonical status (`STATUS_TABLES.maxai`, or a vendor package's own). */
export type StatusTable = Readonly<Record<string, TaskStatus>>;

/**
 * Maps a raw status through a vendor's table (vendor value → canonical), with canonicalStatus's guarantees: never
 * throws, own keys only, anything unknown is UNKNOWN. For vendors whose table lives in their own package.
 */
export function statusFrom(table: StatusTable, vendorStatus: string): TaskStatus {
  return Object.hasOwn(table, vendorStatus) ? (table[vendorStatus] as TaskStatus) : "UNKNOWN";
}

function deepFreeze<T extends Record<string, object>>(tables: T): T {
  for (const table of Object.values(tables)) Object.freeze(table);
  return Object.freeze(tables);
}
