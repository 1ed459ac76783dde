import {
  type AssigneeRef,
  answeredUuid,
  type CakewalkTask,
  canonicalStatus,
  fieldReader,
  type Person,
  type UnreadableField,
  type VendorAnswer,
} from "@taskbridge/model";
import type { RequestSimplifiedWire, TaskWire, UserDetailedWire, UserSimplifiedWire } from "./wire.ts";

/**
 * A person as Cakewalk embeds them in a task. Cakewalk has one full-name field: it is not split into first and
 * last name (names do not split reliably), and there is no username.
 */
export function mapUserSimplified(user: UserSimplifiedWire): Person {
  return {
    vendor: "cakewalk",
    id: user.id.toLowerCase(),
    kind: "USER",
    displayName: user.name,
    firstName: null,
    lastName: null,
    email: user.email,
    username: null,
    roles: [],
  };
}

/** A person from `GET /api/v1/Users/{userId}`: as above, plus the user's Cakewalk role. */
export function mapUser(user: UserDetailedWire): Person {
  return { ...mapUserSimplified(user), roles: user.roleName ? [user.roleName] : [] };
}

function mapRequest(request: RequestSimplifiedWire): CakewalkTask["details"]["request"] {
  return {
    id: request.id.toLowerCase(),
    type: request.requestType,
    status: request.requestStatus,
    requestedByUserId: request.requestedByUserId.toLowerCase(),
    workAppId: request.workAppId.toLowerCase(),
    purpose: request.requestPurpose ?? null,
  };
}

/**
 * Wire task → canonical task. `raw` is the task object exactly as received (the envelope's `data`).
 * - title: Cakewalk tasks have none, and nothing is derived in its place.
 * - description: null. `request.requestPurpose` belongs to the access request (several tasks share one request)
 *   and is kept in `details.request.purpose`; `closedReason` is a closing note, not a description.
 * - assignees: `assignedUser` only. Claimers can take the task but are not assigned: `details.claimers`.
 * A timestamp we cannot read costs its field only (`problems`); `answer` is the HTTP answer the task came in.
 */
export function mapTask(wire: TaskWire, raw: Record<string, unknown>, answer: VendorAnswer): CakewalkTask {
  const read = fieldReader<UnreadableField<CakewalkTask>>("cakewalk", answer);
  const assignees: AssigneeRef[] = wire.assignedUser
    ? [
        {
          vendor: "cakewalk",
          id: wire.assignedUser.id.toLowerCase(),
          kind: "USER",
          inline: mapUserSimplified(wire.assignedUser),
        },
      ]
    : [];
  return read.finish({
    vendor: "cakewalk",
    id: read.identity(() => answeredUuid("cakewalk", wire.id, "id")),
    title: null,
    description: null,
    status: canonicalStatus("cakewalk", wire.status),
    vendorStatus: wire.status,
    createdAt: read.timestamp("createdAt", wire.createdAt, "createdAt"),
    updatedAt: read.timestamp("updatedAt", wire.lastUpdatedAt, "lastUpdatedAt"),
    assignees,
    raw,
    details: {
      type: wire.type,
      request: wire.request ? mapRequest(wire.request) : null,
      claimers: (wire.claimers ?? []).map(mapUserSimplified),
      executedBy: wire.executedByUser ? mapUserSimplified(wire.executedByUser) : null,
      snoozedTill: wire.snoozedTill ? read.timestamp("details.snoozedTill", wire.snoozedTill, "snoozedTill") : null,
    },
  });
}
