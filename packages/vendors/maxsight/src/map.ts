import { type AssigneeRef, canonicalStatus, type MaxsightTask, vendorTimestamp } from "@taskbridge/model";
import type { MaxsightAssignmentWire, MaxsightTaskWire } from "./wire.ts";

/**
 * Wire task → canonical Task. Pure. `raw` is the task object exactly as received.
 * Title: `name` when set, else `c_name`. The docs do not define the two; the example has `name: null` and
 * `c_name: "Review documentation"`, so `name` reads as an optional explicit name and `c_name` as the one always given.
 */
export function mapTask(wire: MaxsightTaskWire, raw: Record<string, unknown>): MaxsightTask {
  return {
    vendor: "maxsight",
    id: wire.id,
    title: text(wire.name) ?? text(wire.c_name),
    description: null,
    status: canonicalStatus("maxsight", wire.status),
    vendorStatus: wire.status,
    createdAt: timestamp(wire.created_at, "created_at"),
    updatedAt: timestamp(wire.updated_at, "updated_at"),
    assignees: mapAssignees(wire.assignment),
    raw,
    // update-assignment takes the task's updated_at, exactly as sent, in If-Match.
    version: wire.updated_at,
    details: {
      stepName: wire.step_name ?? null,
      workflowInstanceId: wire.workflow_instance_id ?? null,
      assessmentId: wire.assessment_id ?? null,
      entityId: wire.entity_id ?? null,
      institutionId: wire.institution_id ?? null,
      lockedAt: wire.locked_at == null ? null : timestamp(wire.locked_at, "locked_at"),
      dataVersion: wire.data_version ?? null,
    },
  };
}

/**
 * Maxsight only references the assignee (no person lookup exists), so `inline` is null. An assigned_to_type other
 * than USER/TEAM is skipped rather than guessed: the canonical kinds cannot express it, and `raw` still holds it.
 */
export function mapAssignees(assignment: MaxsightAssignmentWire | null | undefined): AssigneeRef[] {
  const id = text(assignment?.assigned_to_id);
  const kind = assignment?.assigned_to_type;
  if (id === null || (kind !== "USER" && kind !== "TEAM")) return [];
  return [{ vendor: "maxsight", id, kind, inline: null }];
}

function text(value: string | null | undefined): string | null {
  return value == null || value.trim() === "" ? null : value;
}

/** A timestamp we cannot read is the vendor breaking its contract; the error names the field. */
const timestamp = (value: string, field: string) => vendorTimestamp("maxsight", value, field);
