import { z } from "zod";

/*
 * Wire schemas for exactly the fields the mappers read. Objects are loose (unknown fields pass and stay in `raw`);
 * `status` is a plain string because Capy changed its statuses twice inside "v1".
 * Source: seed spec capy-v1.yaml `components.schemas.Task` (every field required there).
 */

/** One entry of `Task.slackThreads`. */
export const CapySlackThreadWire = z.looseObject({
  teamId: z.string(),
  channelId: z.string(),
  threadTs: z.string(),
  url: z.string(),
});

/** `GET /v1/tasks/{taskId}` 200. `threadIndex` and `currentJamId` are not read, so not checked (kept in `raw`). */
export const CapyTaskWire = z.looseObject({
  id: z.string().min(1),
  projectId: z.string(),
  identifier: z.string(),
  title: z.string(),
  prompt: z.string(),
  status: z.string(),
  // The spec says `type: null` today; pull requests will surely get a shape later, so any JSON value is kept as is
  // (but the key must be there, as the spec requires).
  pullRequest: z.unknown(),
  slackThreads: z.array(CapySlackThreadWire),
  createdAt: z.string(),
  updatedAt: z.string(),
  threadId: z.string().nullable(),
});
export type CapyTaskWire = z.infer<typeof CapyTaskWire>;

/**
 * `POST /v1/tasks` 200: `{id, projectId, identifier, title, status, createdAt}` per the docs page. Only `id` is
 * required here on purpose: the task exists once the POST succeeded, and a contract violation thrown at this point
 * would tell the caller that creation failed (inviting a duplicate). Missing fields are reported later, and only
 * if the follow-up GET cannot supply them.
 */
export const CapyCreatedTaskWire = z.looseObject({
  id: z.string().min(1),
  projectId: z.string().optional(),
  identifier: z.string().optional(),
  title: z.string().nullable().optional(),
  status: z.string().optional(),
  createdAt: z.string().optional(),
});
export type CapyCreatedTaskWire = z.infer<typeof CapyCreatedTaskWire>;

/** Error envelope of the v1 spec (`ErrorResponse`). */
export const CapyErrorWire = z.looseObject({
  error: z.looseObject({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

/** Tagged error of the August 2026 spec, e.g. `{"_tag":"capy/TaskNotFound"}`; accepted so a server upgrade still reads. */
export const CapyTaggedErrorWire = z.looseObject({
  _tag: z.string(),
  message: z.string().optional(),
});

/**
 * `GET /v1/threads` 200: `{items, nextCursor, hasMore}`. Threads are checked one by one (CapyThreadWire) so one
 * unreadable thread does not cost the page.
 * @see https://docs.capy.ai/api-reference/threads/list-threads
 */
export const CapyThreadListWire = z.looseObject({
  items: z.array(z.unknown()),
  nextCursor: z.string().min(1).nullish(),
  // Required by the docs; read leniently, as only `false` changes anything (it ends the listing).
  hasMore: z.boolean().optional().catch(undefined),
});

/**
 * A thread as listed: only its task summaries are read (`{id, identifier, title, status}` on one version of the page,
 * `{id, threadIndex, identifier, title}` on a later one, so `status` is optional). The summaries lack the prompt and
 * the timestamps, so each listed task is read in full.
 */
export const CapyThreadWire = z.looseObject({
  id: z.string(),
  tasks: z.array(
    z.looseObject({
      id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
      status: z.string().optional(),
    }),
  ),
});
export type CapyThreadWire = z.infer<typeof CapyThreadWire>;
