import { z } from "zod";

/*
 * Wire schemas for exactly the fields the client reads. Objects are loose (unknown fields pass); enums are plain
 * strings (the canonical mapping handles values we do not know); required-ness follows the vendor documents.
 * Task shapes: seed 002 (pact/openapi/cakewalk-v1.json). User shape: pact/openapi/cakewalk-users.transcribed.yaml.
 */

const id = z.string().min(1);

/** `UserSimplifiedViewModelV1`: people embedded in a task (assignedUser, claimers, executedByUser). */
export const UserSimplifiedWire = z.looseObject({
  id,
  name: z.string(),
  email: z.string(),
});
export type UserSimplifiedWire = z.infer<typeof UserSimplifiedWire>;

/** `RequestSimplifiedViewModelV1`: the access request a task was generated from. */
export const RequestSimplifiedWire = z.looseObject({
  id,
  requestType: z.string(),
  requestStatus: z.string(),
  requestedByUserId: id,
  workAppId: id,
  requestPurpose: z.string().nullish(),
});
export type RequestSimplifiedWire = z.infer<typeof RequestSimplifiedWire>;

/** `TaskDetailedViewModelV1`. */
export const TaskWire = z.looseObject({
  id,
  type: z.string(),
  status: z.string(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  assignedUser: UserSimplifiedWire.nullish(),
  claimers: z.array(UserSimplifiedWire).nullish(),
  executedByUser: UserSimplifiedWire.nullish(),
  request: RequestSimplifiedWire.nullish(),
  snoozedTill: z.string().nullish(),
});
export type TaskWire = z.infer<typeof TaskWire>;

/** `UserDetailedViewModelV1` (GET /api/v1/Users/{userId}). */
export const UserDetailedWire = z.looseObject({
  id,
  name: z.string(),
  email: z.string(),
  roleName: z.string().nullish(),
});
export type UserDetailedWire = z.infer<typeof UserDetailedWire>;

/** Every single-record response: `{data, links}`. Only `data` is read. */
function record<T extends z.ZodType>(data: T) {
  return z.looseObject({ data });
}

export const TaskResponseWire = record(TaskWire);
export const UserResponseWire = record(UserDetailedWire);

// A member of the wrong type is dropped on its own, so one odd member never hides the others.
const member = z.string().nullish().catch(undefined);

/** RFC 7807 problem details; ASP.NET Core adds a `traceId` extension member. Every member may be absent. */
export const ProblemDetailsWire = z.looseObject({ title: member, detail: member, traceId: member });

/**
 * `GET /api/v1/Tasks?userId=` 200 (`TaskSimplifiedListViewModelV1`): `{data, links}`. Entries are checked one by one
 * (TaskWire: the simplified view model requires id, type, createdAt, status, lastUpdatedAt) so one unreadable task
 * does not cost the page; `links.next` is the next page, absent or null on the last one.
 * @see https://docs.getcakewalk.io/open-api-and-mcp/api-reference/tasks/get-tasks-userid-userid
 */
export const TaskListWire = z.looseObject({
  data: z.array(z.unknown()),
  links: z.looseObject({ next: z.string().nullish() }).nullish(),
});
