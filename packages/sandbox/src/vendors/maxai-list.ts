import { toUuid } from "../ids.ts";
import { compareKeys } from "../paging.ts";
import { postgresMs } from "../time.ts";
import type { MaxAiNote, MaxAiTaskRecord } from "./maxai-seed.ts";

export interface MaxAiListPage {
  tasks: MaxAiTaskRecord[];
  pagination: { page: number; pageSize: number; totalCount: number; totalPages: number };
}

/**
 * `GET /v4/tasks`: filters `status` (comma-separated), `noteId`, `providerId` (an assigned provider), `patientId`,
 * `dateFrom`; pages `page` (from 1) of `pageSize` (1–100, default 100). Ids in v4 (`nte_`…) or v2 (UUID) form.
 * The docs give no order and do not say which date `dateFrom` compares: newest created first and `createdAt` are
 * this sandbox's choices. A page past the last is empty, not an error.
 * @returns the page, or the message of a 400 bad_request.
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/list-tasks
 */
export function listMaxAiTasks(
  query: URLSearchParams,
  tasks: Iterable<MaxAiTaskRecord>,
  notes: ReadonlyMap<string, MaxAiNote>,
): MaxAiListPage | string {
  const page = integer(query.get("page"), 1);
  const pageSize = integer(query.get("pageSize"), 100);
  if (page === undefined || page < 1) return "'page' must be a positive integer";
  if (pageSize === undefined || pageSize < 1 || pageSize > 100) return "'pageSize' must be between 1 and 100";

  const conditions: ((task: MaxAiTaskRecord) => boolean)[] = [];
  const statuses = query.get("status");
  if (statuses !== null) {
    const wanted = new Set(statuses.split(",").map((s) => s.trim()));
    conditions.push((t) => wanted.has(t.status));
  }
  for (const [name, prefix] of [
    ["noteId", "nte"],
    ["providerId", "prv"],
    ["patientId", "pat"],
  ] as const) {
    const value = query.get(name);
    if (value === null) continue;
    const uuid = toUuid(prefix, value);
    if (!uuid) return `'${name}' must be a valid ${prefix}_ ID or UUID`;
    if (name === "noteId") conditions.push((t) => t.noteId === uuid);
    if (name === "providerId") conditions.push((t) => t.assigneeIds.includes(uuid));
    if (name === "patientId") conditions.push((t) => t.noteId !== undefined && notes.get(t.noteId)?.patientId === uuid);
  }
  const dateFrom = query.get("dateFrom");
  if (dateFrom !== null) {
    const from = Date.parse(dateFrom);
    if (!/^\d{4}-\d{2}-\d{2}/.test(dateFrom) || Number.isNaN(from)) return "'dateFrom' must be an ISO 8601 date";
    conditions.push((t) => postgresMs(t.createdAt) >= from);
  }

  const matching = [...tasks]
    .filter((t) => conditions.every((matches) => matches(t)))
    .sort((a, b) => compareKeys([postgresMs(a.createdAt), a.id], [postgresMs(b.createdAt), b.id], true));
  const totalCount = matching.length;
  return {
    tasks: matching.slice((page - 1) * pageSize, page * pageSize),
    pagination: { page, pageSize, totalCount, totalPages: Math.ceil(totalCount / pageSize) },
  };
}

function integer(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}
