import {
  type AssigneeRef,
  answeredUuid,
  canonicalStatus,
  fieldReader,
  type MaxsightTask,
  type UnreadableField,
  type VendorAnswer,
} from "@taskbridge/model";
import type { MaxsightAssignmentWire, MaxsightTaskWire } from "./wire.ts";

/**
 * Wire task → canonical Task. Pure. `raw` is the task object exactly as received.
 * Title: `name` when set, else `c_name`. The docs do not define the two; the example has `name: null` and
 * `c_name: "Review documentation"`, so `name` reads as an optional explicit name and `c_name` as the one always given.
 * A timestamp we cannot read, or a `data_version` beyond ±(2^53 − 1), costs its field only (`problems`); `answer` is
 * the HTTP answer the task came in.
 */
export function mapTask(wire: MaxsightTaskWire, raw: Record<string, unknown>, answer: VendorAnswer): MaxsightTask {
  const read = fieldReader<UnreadableField<MaxsightTask>>("maxsight", answer);
  return read.finish({
    vendor: "maxsight",
    id: read.identity(() => answeredUuid("maxsight", wire.id, "id")),
    title: text(wire.name) ?? text(wire.c_name),
    description: null,
    status: canonicalStatus("maxsight", wire.status),
    vendorStatus: wire.status,
    createdAt: read.timestamp("createdAt", wire.created_at, "created_at"),
    updatedAt: read.timestamp("updatedAt", wire.updated_at, "updated_at"),
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
      lockedAt: wire.locked_at == null ? null : read.timestamp("details.lockedAt", wire.locked_at, "locked_at"),
      dataVersion:
        wire.data_version == null ? null : read.safeInteger("details.dataVersion", wire.data_version, "data_version"),
    },
  });
}

/**
 * Maxsight only references the assignee (no person lookup exists), so `inline` is null. An assigned_to_type other
 * than USER/TEAM is skipped rather than guessed: the canonical kinds cannot express it, and `raw` still holds it.
 * The UUID is given in lower case, as every id the client sends and returns: the assignee filter compares them.
 */
export function mapAssignees(assignment: MaxsightAssignmentWire | null | undefined): AssigneeRef[] {
  const id = text(assignment?.assigned_to_id)?.toLowerCase();
  const kind = assignment?.assigned_to_type;
  if (id == null || (kind !== "USER" && kind !== "TEAM")) return [];
  return [{ vendor: "maxsight", id, kind, inline: null }];
}

function text(value: string | null | undefined): string | null {
  return value == null || value.trim() === "" ? null : value;
}
