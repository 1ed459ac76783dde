import { type AnyTask, fieldReader, statusFrom, type VendorAnswer } from "@taskbridge/model";
import type { TicketWire } from "./wire.ts";

/** Acme's states; its table lives here, with its vendor. */
export const STATUSES = { open: "TODO", doing: "IN_PROGRESS", done: "DONE" } as const;

/** Ticket → canonical task. Acme has no typed details in the model: they stay Acme's own fields. */
export function mapTask(wire: TicketWire, raw: Record<string, unknown>, answer: VendorAnswer): AnyTask<"acme"> {
  const read = fieldReader("acme", answer);
  return read.finish({
    vendor: "acme",
    id: wire.id,
    title: wire.subject,
    description: null,
    status: statusFrom(STATUSES, wire.state),
    vendorStatus: wire.state,
    createdAt: read.timestamp("createdAt", wire.opened_at, "opened_at"),
    updatedAt: read.timestamp("updatedAt", wire.changed_at, "changed_at"),
    assignees: [],
    raw,
    details: { board: wire.board, points: wire.points },
  });
}
