import { decodeListEntries, type HttpClient, path } from "@taskbridge/http";
import {
  buildTaskPage,
  type CallOptions,
  type CapyTask,
  canonicalStatus,
  checkWireText,
  decodePosition,
  emptyPage,
  entryKey,
  filterMatchesNothing,
  InvalidInputError,
  type ListCapabilities,
  type ListTasksQuery,
  nextPageEnd,
  parseListQuery,
  STATUS_TABLES,
  type TaskPage,
  VendorContractViolationError,
  VendorError,
} from "@taskbridge/model";
import { CapyThreadListWire, CapyThreadWire } from "./wire.ts";

/**
 * A listing is one project's captain threads (`projectId` is required), each embedding its tasks as summaries; the
 * client reads every task it returns in full (`readsPerTask` 1). Tasks in no thread (never started) are in no
 * listing. The canonical filters are applied after fetching: `status` filters the thread's status, not the task's,
 * and Capy tasks have no assignee (an assignee filter matches nothing, without a call). No order is documented.
 */
export const LIST_CAPABILITIES: ListCapabilities = Object.freeze({
  filters: Object.freeze({ statuses: "client", assigneeId: "client", updatedSince: "client" } as const),
  newestUpdateFirst: false,
  maxPageSize: 100,
  scope: "project",
  readsPerTask: 1,
});

/** Capy's own filters of `GET /v1/threads`, sent as they are. */
export interface VendorFilter {
  /** The thread's status: active, idle or archived. */
  threadStatus?: string | undefined;
  prNumber?: number | undefined;
  branch?: string | undefined;
  slackThreadTs?: string | undefined;
}

export interface ListQuery extends ListTasksQuery {
  vendorFilter?: VendorFilter | undefined;
}

/** The documented range of `limit`: 1–100 threads a page. */
const MAX_LIMIT = 100;
/** Tasks read at once while filling a page: enough to overlap, few enough to stay polite (no rate limit is published). */
const READS_AT_ONCE = 8;

/**
 * One page of a project's tasks (scope = the project id) from `GET /v1/threads`. A position is the vendor page's own
 * query (project and cursor) and which of its task summaries were examined already (PagePosition); the page is asked
 * for with enough threads to pass over those and fill the page.
 * @see https://docs.capy.ai/api-reference/threads/list-threads
 */
export async function listTasks(
  http: HttpClient,
  getTask: (id: string, options?: CallOptions) => Promise<CapyTask | null>,
  query: ListQuery,
  options?: CallOptions,
): Promise<TaskPage<CapyTask>> {
  const { filter = {}, pageSize, position, scope = "" } = parseListQuery(query, LIST_CAPABILITIES);
  const vendorFilter = parseVendorFilter(query.vendorFilter);
  if (filterMatchesNothing(STATUS_TABLES.capy, filter, [])) return emptyPage();
  const { native, seen } = decodePosition(position);
  const page = native ?? new URLSearchParams({ projectId: scope }).toString();
  const params = new URLSearchParams(page);
  if (params.get("projectId") !== scope) {
    throw new InvalidInputError("position", "not a position from an earlier page of this listing");
  }

  const response = await http.request({
    operation: "listTasks",
    method: "GET",
    path: path`/v1/threads`,
    query: {
      projectId: scope,
      limit: Math.min(MAX_LIMIT, seen.length + pageSize),
      cursor: params.get("cursor") ?? undefined,
      status: vendorFilter.threadStatus,
      prNumber: vendorFilter.prNumber,
      branch: vendorFilter.branch,
      slackThreadTs: vendorFilter.slackThreadTs,
    },
    schema: CapyThreadListWire,
    signal: options?.signal,
  });
  // The page's entries: every task summary of every thread, in order; a thread that cannot be read is one entry.
  const summaries = decodeListEntries(
    "capy",
    response.data.items,
    CapyThreadWire,
    response,
    (thread) => thread.tasks,
  ).flat();

  // Read in full the first pageSize summaries not examined before that can match (where a summary has a status, it
  // already tells); the page ends after the last one read. A task gone since the listing is passed over.
  const wanted = filter.statuses;
  const mayMatch = (summary: { status?: string | undefined }) =>
    !wanted || summary.status === undefined || wanted.includes(canonicalStatus("capy", summary.status));
  const examined = new Set(seen);
  const slots: (CapyTask | VendorError | null)[] = summaries.map((s) => (s instanceof VendorError ? s : null));
  const toRead: number[] = [];
  for (let i = 0; i < summaries.length && toRead.length < pageSize; i++) {
    const summary = summaries[i];
    if (summary && !(summary instanceof VendorError) && !examined.has(entryKey(summary.id)) && mayMatch(summary)) {
      toRead.push(i);
    }
  }
  await forEachAtOnce(toRead, READS_AT_ONCE, async (i) => {
    const { id } = summaries[i] as { id: string };
    slots[i] = await getTask(id, { signal: options?.signal }).catch((error: unknown) => {
      if (error instanceof VendorContractViolationError) return error;
      throw error;
    });
  });
  const lastRead = toRead.at(-1);
  const more = toRead.length === pageSize && lastRead !== undefined && lastRead + 1 < summaries.length;
  // An entry is keyed by its task summary's id, even where the read failed; an unreadable thread has none.
  const entries = summaries
    .slice(0, more ? (lastRead as number) + 1 : undefined)
    .map((summary, i) => ({ id: summary instanceof VendorError ? null : summary.id, value: slots[i] ?? null }));
  // Both are documented; `hasMore: false` is the vendor saying no page follows, whatever cursor it still names.
  const nextCursor = response.data.hasMore === false ? null : (response.data.nextCursor ?? null);
  return buildTaskPage({
    entries,
    resume: { by: "identity", native: page, seen },
    pageSize,
    filter,
    more,
    ...nextPageEnd(
      "capy",
      "nextCursor",
      page,
      nextCursor && new URLSearchParams({ projectId: scope, cursor: nextCursor }).toString(),
      response,
    ),
  });
}

function parseVendorFilter(filter: VendorFilter | undefined): VendorFilter {
  const { threadStatus, prNumber, branch, slackThreadTs } = filter ?? {};
  if (prNumber !== undefined && !Number.isSafeInteger(prNumber)) {
    throw new InvalidInputError("vendorFilter.prNumber", "expected an integer");
  }
  // Each is sent as a query parameter.
  const inUrl = (value: string | undefined, field: string) =>
    value === undefined ? undefined : checkWireText(value, `vendorFilter.${field}`, "url");
  return {
    threadStatus: inUrl(threadStatus, "threadStatus"),
    prNumber,
    branch: inUrl(branch, "branch"),
    slackThreadTs: inUrl(slackThreadTs, "slackThreadTs"),
  };
}

/** Runs `work` for every item, at most `width` at a time. */
async function forEachAtOnce<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}
