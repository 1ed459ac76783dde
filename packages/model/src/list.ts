import { z } from "zod";
import { InvalidInputError, VendorContractViolationError, VendorError } from "./errors.ts";
import type { VendorAnswer } from "./field-reader.ts";
import { type StatusTable, TaskStatus } from "./status.ts";
import type { AnyTask } from "./task.ts";
import { normalizeTimestamp, TimestampError } from "./timestamp.ts";
import type { Vendor } from "./vendor.ts";
import { checkWireText } from "./wire-text.ts";

/**
 * What a caller may ask of any vendor's listing. Every field narrows: a task must match all of them.
 * Ids are the vendor's own (a Max AI `prv_…`, a Cakewalk user GUID, a Maxsight user or team UUID).
 */
export const TaskFilter = z.object({
  /** Canonical statuses, any of them. UNKNOWN matches tasks whose vendor status is not in the model's tables. */
  statuses: z.array(TaskStatus).min(1).optional(),
  /** A person (or team) the task is assigned to. */
  assigneeId: z.string().trim().min(1).max(200).optional(),
  /** Tasks updated at or after this instant (ISO 8601 with an offset). */
  updatedSince: z.string().optional(),
});
export type TaskFilter = z.infer<typeof TaskFilter>;

export const FILTER_NAMES = ["statuses", "assigneeId", "updatedSince"] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/**
 * Who applies a filter: the vendor (sent as its own parameter), or the client after fetching a vendor page. Either
 * way a listed task matches the whole filter; a client-applied filter only means a page can hold fewer tasks than
 * asked for, even none, while more pages follow.
 */
export type FilterSupport = "vendor" | "client";

/** How a vendor lists tasks, so a caller can plan pages across vendors without knowing which vendor it is. */
export interface ListCapabilities {
  filters: Readonly<Record<FilterName, FilterSupport>>;
  /** Whether the vendor returns tasks newest update first. Only then can a merge across vendors promise that order. */
  newestUpdateFirst: boolean;
  /** The largest `pageSize` a listing takes. */
  maxPageSize: number;
  /**
   * What every listing must name in `scope`: Cakewalk lists one user's tasks, Capy one project's threads.
   * null when a listing covers the whole connection.
   */
  scope: "user" | "project" | null;
  /**
   * Vendor calls a page costs besides the listing call, per task returned: 1 where the listing embeds only task
   * summaries and each task is read in full (Capy), else 0.
   */
  readsPerTask: 0 | 1;
}

export interface ListTasksQuery {
  filter?: TaskFilter | undefined;
  /** At most this many tasks (1 … `capabilities.list.maxPageSize`). A page may hold fewer, even none, before the end. */
  pageSize: number;
  /**
   * Where to continue: a page's `next`, or an item's `after`, from an earlier page of the same query (same filter
   * and scope). Absent or null for the first page. Opaque; it carries the vendor's own position.
   */
  position?: string | null | undefined;
  /** The listing's scope where `capabilities.list.scope` asks for one: a Cakewalk user id, a Capy project id. */
  scope?: string | undefined;
}

export interface TaskPageItem<T extends AnyTask = AnyTask> {
  task: T;
  /** The position that continues right after this task (null when nothing follows it). */
  after: string | null;
}

export interface TaskPage<T extends AnyTask = AnyTask> {
  items: TaskPageItem<T>[];
  /** The position of the next page, null at the end of the listing. */
  next: string | null;
  /** How many tasks match the filter in all, where the vendor counts them and applied every filter (Max AI). */
  totalCount: number | null;
  /**
   * Entries of this stretch of the listing that could not be read (each a VendorContractViolationError naming the
   * field). The listing continues past them, so one bad entry neither hides the others nor stops the paging.
   */
  unreadable: VendorError[];
}

/** The query with its filter checked and `updatedSince` in canonical form, or an InvalidInputError before any call. */
export function parseListQuery(query: ListTasksQuery, capabilities: ListCapabilities): ListTasksQuery {
  const size = query?.pageSize;
  if (!Number.isInteger(size) || size < 1 || size > capabilities.maxPageSize) {
    throw new InvalidInputError("pageSize", `must be an integer from 1 to ${capabilities.maxPageSize}`);
  }
  const parsed = TaskFilter.safeParse(query.filter ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`filter.${issue?.path.join(".") ?? ""}`, issue?.message ?? "invalid filter");
  }
  const filter = { ...parsed.data };
  if (filter.updatedSince !== undefined) {
    try {
      filter.updatedSince = normalizeTimestamp(filter.updatedSince, "filter.updatedSince");
    } catch (error) {
      if (error instanceof TimestampError) throw new InvalidInputError("filter.updatedSince", error.message);
      throw error;
    }
  }
  // Capy sends the scope in the URL.
  const scope = query.scope === undefined ? undefined : checkWireText(query.scope, "scope", "url").trim();
  if (capabilities.scope !== null && !scope) {
    throw new InvalidInputError(
      "scope",
      `this vendor lists one ${capabilities.scope}'s tasks: give the ${capabilities.scope} id`,
    );
  }
  return { filter, pageSize: size, position: query.position ?? null, scope };
}

/**
 * Whether a task matches the whole filter. A field the vendor's answer left unreadable (null, see `problems`) never
 * hides the task: it may match, and the caller sees the field's error rather than losing the task.
 */
export function matchesTaskFilter(task: AnyTask, filter: TaskFilter | undefined): boolean {
  if (!filter) return true;
  const { assignees, updatedAt } = task;
  if (filter.statuses && !filter.statuses.includes(task.status)) return false;
  if (filter.assigneeId !== undefined && assignees && !assignees.some((a) => a.id === filter.assigneeId)) return false;
  if (
    filter.updatedSince !== undefined &&
    updatedAt !== null &&
    Date.parse(updatedAt) < Date.parse(filter.updatedSince)
  )
    return false;
  return true;
}

/**
 * The vendor's own status values for canonical statuses, from its status table: `null` when the vendor cannot be
 * asked (UNKNOWN stands for values nobody has listed), `[]` when no vendor value maps to any of them (nothing can
 * match, so no call is needed), else the values to send.
 */
export function vendorStatusValues(table: StatusTable, statuses: readonly TaskStatus[] | undefined): string[] | null {
  if (!statuses || statuses.includes("UNKNOWN")) return null;
  return Object.keys(table).filter((value) => statuses.includes(table[value] as TaskStatus));
}

/** Whether a filter can match no task of a vendor at all, so a listing needs no call (an empty last page). */
export function filterMatchesNothing(
  table: StatusTable,
  filter: TaskFilter | undefined,
  assigneeKinds: readonly unknown[],
): boolean {
  if (filter?.assigneeId !== undefined && assigneeKinds.length === 0) return true;
  return vendorStatusValues(table, filter?.statuses)?.length === 0;
}

/** The empty last page. */
export function emptyPage<T extends AnyTask>(): TaskPage<T> {
  return { items: [], next: null, totalCount: 0, unreadable: [] };
}

/**
 * A position inside a vendor page: the vendor's own position of that page (`native`; null for the first page) and the
 * keys (`entryKey`) of the page's entries examined already, returned or passed over. Re-reading the page passes over
 * those entries by identity, so a task added or removed earlier in the page shifts nothing. Vendors whose pages are
 * offsets (Max AI's page numbers) keep `seen` empty and put the offset in `native`. Encoded as JSON so any native
 * text (a URL, a token) survives unchanged.
 */
export interface PagePosition {
  native: string | null;
  seen: readonly string[];
}

/** Characters of one entry key: a 53-bit hash of the vendor's id, so a page of 100 entries stays about 1 KB. */
const KEY_LENGTH = 9;
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const KEYS = new RegExp(`^(?:[A-Za-z0-9_-]{${KEY_LENGTH}})*$`);

/**
 * The key a position keeps for an entry: a 53-bit hash (cyrb53) of its vendor id, not the id itself, so positions
 * stay small. Two ids of one page sharing a key (about 1 in 10^12 for a page of 100) would pass one over.
 */
export function entryKey(id: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  let n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  let key = "";
  for (let i = 0; i < KEY_LENGTH; i++, n = Math.floor(n / 64)) key += KEY_ALPHABET[n % 64];
  return key;
}

export function encodePosition(position: PagePosition): string {
  return JSON.stringify([position.native, position.seen.join("")]);
}

/**
 * Reads a position this model wrote (none: the first page); anything else (a forged or truncated cursor) is the
 * caller's mistake.
 */
export function decodePosition(text: string | null | undefined, field = "position"): PagePosition {
  if (text == null) return { native: null, seen: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    (value[0] === null || (typeof value[0] === "string" && value[0] !== "")) &&
    typeof value[1] === "string" &&
    KEYS.test(value[1])
  ) {
    const keys = value[1] as string;
    const seen = Array.from({ length: keys.length / KEY_LENGTH }, (_, i) =>
      keys.slice(i * KEY_LENGTH, (i + 1) * KEY_LENGTH),
    );
    return { native: value[0], seen };
  }
  throw new InvalidInputError(field, "not a position from an earlier page of this listing");
}

/**
 * One entry of a vendor page: its vendor id where the client could read one (the task's, or Capy's task summary's),
 * and a task; null where it is known not to match (or no longer exists); or the error that stopped the client from
 * reading it.
 */
export interface PageEntry<T extends AnyTask> {
  id: string | null;
  value: T | VendorError | null;
}

/** A vendor page's decoded entries, each a task keyed by its own id (an unreadable one has none). */
export function taskEntries<T extends AnyTask>(values: readonly (T | VendorError)[]): PageEntry<T>[] {
  return values.map((value) => ({ id: value instanceof VendorError ? null : value.id, value }));
}

/**
 * Where to continue inside the vendor page: by identity (token paging: the page's `native` position and the keys
 * examined before), or, for a vendor whose positions are offsets (Max AI), at index `from` with `positionAt` naming
 * the position at any index.
 */
export type PageResume =
  | { by: "identity"; native: string | null; seen: readonly string[] }
  | { by: "offset"; from: number; positionAt(index: number): string };

export interface PageParts<T extends AnyTask> {
  /** The vendor page's entries in vendor order (Capy: only those up to the last task read, see `more`). */
  entries: readonly PageEntry<T>[];
  resume: PageResume;
  pageSize: number;
  filter: TaskFilter | undefined;
  /**
   * The position after the last of `entries` when they end the vendor page: its next page, or null at the end. Resuming
   * by identity, the keys carried into the next page are added to it.
   */
  end: string | null;
  /** `entries` stop short of the vendor page's end: after them, the listing continues inside this page. */
  more?: boolean;
  totalCount?: number | null;
  /** Why the listing ends after this vendor page although the vendor named a next one (see `nextPageEnd`). */
  endProblem?: VendorError | undefined;
}

/**
 * The longest next-page position of a vendor (token or link) a listing carries. Every cursor of a page holds every
 * vendor's position, and a cursor is refused past 32 KiB: four of these, escaped and encoded, still fit.
 */
export const MAX_NEXT_POSITION = 2_048;

/**
 * `end` and `endProblem` of a vendor page whose answer names `next` (the vendor's own position, as `native` holds it)
 * as the page after `native`. The listing ends there instead, and the caller learns why, when `next` cannot be
 * followed: it is the page just read (a token or link that does not advance would list the same tasks again on every
 * page, forever), or it is longer than MAX_NEXT_POSITION (the cursors holding it would be refused, and each edge's
 * cursor would copy it).
 */
export function nextPageEnd(
  vendor: Vendor,
  field: string,
  native: string | null,
  next: string | null,
  answer: VendorAnswer,
): Pick<PageParts<AnyTask>, "end" | "endProblem"> {
  if (next === null) return { end: null };
  const reason =
    next === native
      ? "names the page just read"
      : next.length > MAX_NEXT_POSITION
        ? `is longer than ${MAX_NEXT_POSITION} characters`
        : undefined;
  if (reason === undefined) return { end: encodePosition({ native: next, seen: [] }) };
  const endProblem = new VendorContractViolationError(
    vendor,
    `${vendor} listTasks: ${field} ${reason}, so the listing ends there`,
    { status: answer.status, traceId: answer.traceId, detail: `${field}: ${reason}`, field },
  );
  return { end: null, endProblem };
}

/**
 * One page from a vendor page: at most `pageSize` tasks that match the filter and were not examined before, each with
 * the position right after it. The page's `next` passes over what was examined and did not match, so no task is seen
 * twice or missed. An entry without an id (unreadable) cannot be recognised again: a later page that resumes inside
 * the same vendor page reports it again in `unreadable`.
 *
 * Resuming by identity, a response may be cut short (a re-read asks for only as many entries as it needs; some
 * vendors' pages have a fixed size), so an examined entry it lacks may have been pushed past its end by tasks added
 * ahead, not removed. Its key is kept while the listing stays in the vendor page and carried into the next ones until
 * a response holds it (then the vendor's position passes it); at most MAX_CARRIED keys are carried, the latest.
 */
export function buildTaskPage<T extends AnyTask>(parts: PageParts<T>): TaskPage<T> {
  const { entries, pageSize, filter, resume } = parts;
  const held = new Set(entries.flatMap(({ id }) => (id === null ? [] : [entryKey(id)])));
  // Keys the positions carry: those examined before, then each one examined now, in order.
  const examined = resume.by === "identity" ? [...new Set(resume.seen)] : [];
  const seen = new Set(examined);
  const positionAt = (index: number, keys: number) =>
    resume.by === "offset"
      ? resume.positionAt(index)
      : encodePosition({ native: resume.native, seen: examined.slice(0, keys) });
  const picked: { task: T; index: number; keys: number }[] = [];
  const unreadable: VendorError[] = [];
  let index = resume.by === "offset" ? resume.from : 0;
  for (; index < entries.length && picked.length < pageSize; index++) {
    const { id, value } = entries[index] as PageEntry<T>;
    const key = id === null ? null : entryKey(id);
    if (key !== null && seen.has(key)) continue;
    if (key !== null) {
      examined.push(key);
      seen.add(key); // an entry the vendor lists twice in one page is examined once
    }
    if (value instanceof VendorError) unreadable.push(value);
    else if (value && matchesTaskFilter(value, filter)) picked.push({ task: value, index, keys: examined.length });
  }
  const inside = index < entries.length || parts.more === true;
  const next = inside ? positionAt(index, examined.length) : carryInto(parts.end);
  if (!inside && parts.endProblem) unreadable.push(parts.endProblem);
  const items = picked.map(({ task, index: at, keys }, i) => ({
    task,
    // The last one continues where the page does: anything between it and `next` was examined and did not match.
    after: i === picked.length - 1 ? next : positionAt(at + 1, keys),
  }));
  return { items, next, totalCount: parts.totalCount ?? null, unreadable };

  /** The next vendor page's position, also passing over the entries examined that the response did not hold. */
  function carryInto(end: string | null): string | null {
    const pushed = examined.filter((key) => !held.has(key)).slice(-MAX_CARRIED);
    if (end === null || pushed.length === 0) return end;
    const { native, seen: more } = decodePosition(end);
    return encodePosition({ native, seen: [...pushed, ...more] });
  }
}

/**
 * The most keys a position carries into the next vendor page (about 900 characters), as many as the largest vendor page
 * holds. Pushed-out entries are met again soon; a removed one's key stays until this many more have been carried.
 */
const MAX_CARRIED = 100;

/** One list entry as `read` makes it, or the contract violation that stopped it (for `unreadable`). */
export function readListEntry<T>(read: () => T): T | VendorContractViolationError {
  try {
    return read();
  } catch (error) {
    if (error instanceof VendorContractViolationError) return error;
    throw error;
  }
}
