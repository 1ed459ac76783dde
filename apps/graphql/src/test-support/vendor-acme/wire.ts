import { z } from "zod";

/** `GET /v1/tickets/{id}`: only the fields the mapper reads. */
export const TicketWire = z.object({
  ticket: z.object({
    id: z.string(),
    subject: z.string().nullable(),
    state: z.string(),
    opened_at: z.string(),
    changed_at: z.string(),
    board: z.string(),
    points: z.number().int().nullable(),
  }),
});
export type TicketWire = z.infer<typeof TicketWire>["ticket"];

export const ErrorWire = z.object({ error: z.string() });
