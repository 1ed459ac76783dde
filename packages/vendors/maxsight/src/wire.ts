import { z } from "zod";

/**
 * Wire schemas for exactly the fields the mapper reads; everything else stays in `raw`.
 * Source: the example of https://docs.maxsight.com/en/retrieve-a-task.html (seed 004) — Maxsight publishes no
 * schema for v5, so beyond the four fields a Task cannot exist without, fields are tolerated when absent or null.
 */
const optionalText = z.string().nullish();

export const MaxsightAssignmentWire = z.looseObject({
  assigned_to_id: optionalText,
  /** USER | TEAM documented; kept open. */
  assigned_to_type: optionalText,
});
export type MaxsightAssignmentWire = z.infer<typeof MaxsightAssignmentWire>;

export const MaxsightTaskWire = z.looseObject({
  id: z.string().min(1),
  /** INCOMPLETE documented for v5; COMPLETED_PASS / COMPLETED_FAIL from the legacy API; kept open. */
  status: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  name: optionalText,
  c_name: optionalText,
  step_name: optionalText,
  assignment: MaxsightAssignmentWire.nullish(),
  workflow_instance_id: optionalText,
  assessment_id: optionalText,
  entity_id: optionalText,
  institution_id: optionalText,
  locked_at: optionalText,
  // An integer of any size per the docs: JSON.parse reads one past 2^53 inexactly and one past 1e308 as Infinity,
  // so any number passes here and the mapper sets aside what it cannot read exactly.
  data_version: z
    .union([z.number(), z.literal(Number.POSITIVE_INFINITY), z.literal(Number.NEGATIVE_INFINITY)])
    .nullish(),
});
export type MaxsightTaskWire = z.infer<typeof MaxsightTaskWire>;

/**
 * `POST /v5/tasks/search` 200: `{items, next_page_token}`. The items are checked one by one (MaxsightTaskWire) so one
 * unreadable task does not cost the page.
 * @see https://docs.maxsight.com/en/search-tasks.html
 */
export const MaxsightSearchWire = z.looseObject({
  items: z.array(z.unknown()),
  next_page_token: z.string().min(1).nullish(),
});
