import {
  canonicalStatus,
  fieldReader,
  fieldViolation,
  InvalidInputError,
  type MaxAiTask,
  type Person,
  type UnreadableField,
  type VendorAnswer,
} from "@taskbridge/model";
import { type MaxAiIdKind, toV4Id } from "./ids.ts";
import type { ProviderWire, TaskWire } from "./wire.ts";

/**
 * Wire task (v2 with dashed UUIDs, or v4 with prefixed ids) → canonical Task with v4 ids throughout.
 * `raw` is the vendor's task object exactly as received; `answer` the HTTP answer it came in. The spec types ids and
 * timestamps as plain strings: one we cannot read costs its field only (`problems`), except the task's own id.
 */
export function mapTask(wire: TaskWire, raw: Record<string, unknown>, answer: VendorAnswer): MaxAiTask {
  const read = fieldReader<UnreadableField<MaxAiTask>>("maxai", answer);
  return read.finish({
    vendor: "maxai",
    id: read.identity(() => vendorId("task", wire.id, "id")),
    // Max AI tasks have no title; the notes are the description.
    title: null,
    description: wire.notes,
    status: canonicalStatus("maxai", wire.status),
    vendorStatus: wire.status,
    createdAt: read.timestamp("createdAt", wire.createdAt, "createdAt"),
    updatedAt: read.timestamp("updatedAt", wire.updatedAt, "updatedAt"),
    assignees: read.field("assignees", () =>
      wire.assignedProviders.map((provider, i) => {
        const person = mapPerson(provider, `assignedProviders.${i}`);
        return { vendor: "maxai" as const, id: person.id, kind: "PROVIDER" as const, inline: person };
      }),
    ),
    details: {
      syncStatus: wire.syncStatus,
      ehrType: wire.ehrType,
      noteId: wire.noteId
        ? read.field("details.noteId", () => vendorId("note", wire.noteId as string, "noteId"))
        : null,
    },
    raw,
  });
}

/** Provider → Person (kind PROVIDER). Max AI exposes no email. `at` names the field in contract errors. */
export function mapPerson(wire: ProviderWire, at = "provider"): Person {
  return {
    vendor: "maxai",
    id: vendorId("provider", wire.id, `${at}.id`),
    kind: "PROVIDER",
    displayName: displayName(wire),
    firstName: wire.firstName,
    lastName: wire.lastName,
    email: null,
    username: wire.username,
    roles: wire.roles,
  };
}

/** "Dr. James Wilson, MD" from the display names when the vendor has them, else "James Wilson", else null. */
export function displayName(wire: ProviderWire): string | null {
  return joinNames(wire.displayFirstName, wire.displayLastName) ?? joinNames(wire.firstName, wire.lastName);
}

function joinNames(first: string | null, last: string | null): string | null {
  const parts = [first, last].map((part) => part?.trim()).filter((part): part is string => !!part);
  return parts.length ? parts.join(" ") : null;
}

/** An id the vendor sent that is in neither dialect breaks its contract (it is not the caller's input). */
function vendorId(kind: MaxAiIdKind, value: string, field: string): string {
  try {
    return toV4Id(kind, value, field);
  } catch (error) {
    if (error instanceof InvalidInputError) throw fieldViolation("maxai", field, `not a Max AI ${kind} id`, error);
    throw error;
  }
}
