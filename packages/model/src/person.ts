import { z } from "zod";
import { Vendor } from "./vendor.ts";

export const ASSIGNEE_KINDS = ["USER", "TEAM", "PROVIDER"] as const;
export const AssigneeKind = z.enum(ASSIGNEE_KINDS);
export type AssigneeKind = z.infer<typeof AssigneeKind>;

/** Someone a task can be assigned to, as the vendor describes them. Fields a vendor lacks are null. */
export const Person = z.object({
  vendor: Vendor,
  id: z.string().min(1),
  kind: AssigneeKind,
  displayName: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  roles: z.array(z.string()),
});
export type Person = z.infer<typeof Person>;

/**
 * Who a task is assigned to. `inline` holds the person when the vendor embedded them in the task (Max AI,
 * Cakewalk), so nobody fetches them again; it is null when only the id is known (Maxsight).
 */
export const AssigneeRef = z.object({
  vendor: Vendor,
  id: z.string().min(1),
  kind: AssigneeKind,
  inline: Person.nullable(),
});
export type AssigneeRef = z.infer<typeof AssigneeRef>;
