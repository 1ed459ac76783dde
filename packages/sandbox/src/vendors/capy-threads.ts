import type { CapyTask } from "./capy-seed.ts";

export const CAPY_THREAD_STATUSES = ["active", "idle", "archived"] as const;

/** A captain thread as `GET /v1/threads` lists it. */
export interface CapyThread {
  id: string;
  projectId: string;
  title: string | null;
  status: string;
  /** Task summaries, not tasks: the listing has no prompt or timestamps per task. */
  tasks: { id: string; threadIndex: number | null; identifier: string; title: string; status: string }[];
  pullRequests: unknown[];
  slackThreads: CapyTask["slackThreads"];
  createdAt: string;
  updatedAt: string;
}

/**
 * The threads the tasks belong to (tasks without a thread are in none), derived on each listing so they always agree
 * with the tasks `GET /v1/tasks/{id}` serves. A thread is active while one of its tasks is queued or running,
 * archived when all are, else idle; it was created with its first task and updated with its latest.
 */
export function capyThreads(tasks: Iterable<CapyTask>): CapyThread[] {
  const byThread = new Map<string, CapyTask[]>();
  for (const task of tasks) {
    if (task.threadId === null) continue;
    const members = byThread.get(task.threadId) ?? [];
    members.push(task);
    byThread.set(task.threadId, members);
  }
  return [...byThread].map(([id, members]) => {
    members.sort((a, b) => (a.threadIndex ?? 0) - (b.threadIndex ?? 0) || (a.id < b.id ? -1 : 1));
    const first = members[0] as CapyTask;
    const statuses = members.map((t) => t.status);
    const status = statuses.some((s) => s === "queued" || s === "in_progress")
      ? "active"
      : statuses.every((s) => s === "archived")
        ? "archived"
        : "idle";
    return {
      id,
      projectId: first.projectId,
      title: first.title,
      status,
      tasks: members.map((t) => ({
        id: t.id,
        threadIndex: t.threadIndex,
        identifier: t.identifier,
        title: t.title,
        status: t.status,
      })),
      pullRequests: [],
      slackThreads: members.flatMap((t) => t.slackThreads),
      // ISO 8601 in UTC with milliseconds: the text order is the time order.
      createdAt: members.map((t) => t.createdAt).sort()[0] as string,
      updatedAt: members
        .map((t) => t.updatedAt)
        .sort()
        .at(-1) as string,
    };
  });
}
