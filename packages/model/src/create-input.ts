import { z } from "zod";
import { InvalidInputError } from "./errors.ts";
import { idText, keptText } from "./input-text.ts";

// Ids are trimmed; text the vendor keeps is sent exactly as given (input-text.ts). A blank one of either is a caller
// mistake, caught before any vendor call. The `.max()` caps below are Taskbridge's own bounds on what one request
// may carry; neither vendor documents limits. Raise them if a vendor is shown to accept more.

/** Max AI `POST /v4/tasks`. Ids may be given as v4 prefixed ids or v2 dashed UUIDs; the client converts. */
export const MaxAiCreateTaskInput = z.object({
  vendor: z.literal("maxai"),
  noteId: idText,
  providerId: idText,
  notes: keptText.max(10_000),
  assigneeIds: z.array(idText).min(1).max(50),
});
export type MaxAiCreateTaskInput = z.infer<typeof MaxAiCreateTaskInput>;

/** Capy `POST /v1/tasks` (docs.capy.ai/api-reference/tasks/create-task). */
export const CapyCreateTaskInput = z.object({
  vendor: z.literal("capy"),
  projectId: idText,
  prompt: keptText.max(100_000),
  title: keptText.max(500).optional(),
  labels: z.array(keptText).max(50).optional(),
  model: idText.optional(),
  start: z.boolean().optional(),
});
export type CapyCreateTaskInput = z.infer<typeof CapyCreateTaskInput>;

export const CreateTaskInput = z.discriminatedUnion("vendor", [MaxAiCreateTaskInput, CapyCreateTaskInput]);
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;
export type CreatableVendor = CreateTaskInput["vendor"];

/** The parsed input, or an InvalidInputError naming the first bad field, thrown before any vendor call. */
export function parseCreateInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(issue?.path.join(".") || "input", issue?.message ?? "invalid create input");
}
