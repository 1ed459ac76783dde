import { decodeListEntries, type HttpClient, path } from "@taskbridge/http";
import {
  buildTaskPage,
  type CallOptions,
  checkWireText,
  decodePosition,
  emptyPage,
  encodePosition,
  filterMatchesNothing,
  InvalidInputError,
  type ListCapabilities,
  type ListTasksQuery,
  type MaxAiTask,
  parseListQuery,
  STATUS_TABLES,
  type TaskPage,
  taskEntries,
  VendorContractViolationError,
  vendorStatusValues,
} from "@taskbridge/model";
import { type MaxAiIdKind, toV4Id } from "./ids.ts";
import { mapTask } from "./map.ts";
import { TaskListEnvelope, TaskWire } from "./wire.ts";

/**
 * Statuses and the assignee go to the vendor (`status`, comma-separated; `providerId`, "filter by assigned
 * provider"); `updatedSince` is applied after fetching: `dateFrom` is documented without saying which date it
 * compares. The order is not documented.
 */
export const LIST_CAPABILITIES: ListCapabilities = Object.freeze({
  filters: Object.freeze({ statuses: "vendor", assigneeId: "vendor", updatedSince: "client" }),
  newestUpdateFirst: false,
  maxPageSize: 100,
  scope: null,
  readsPerTask: 0,
});

/** Max AI's own filters of `GET /v4/tasks`, sent as they are (ids in either dialect, sent in v4 form). */
export interface VendorFilter {
  noteId?: string | undefined;
  patientId?: string | undefined;
  /** Sent as given: the docs do not say which date it compares, nor the format beyond an ISO date. */
  dateFrom?: string | undefined;
}

export interface ListQuery extends ListTasksQuery {
  vendorFilter?: VendorFilter | undefined;
}

/**
 * One page of `GET /v4/tasks`. Positions are offsets into the listing: the request asks for a page that starts at
 * the offset where some page size allows it (else the page that holds it, skipping the tasks before the offset), so
 * a caller may resume after any task and change pageSize between pages.
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/list-tasks
 * @see https://docs.maxcare.ai/guides/pagination
 */
export async function listTasks(
  http: HttpClient,
  query: ListQuery,
  options?: CallOptions,
): Promise<TaskPage<MaxAiTask>> {
  const { filter = {}, pageSize, position } = parseListQuery(query, LIST_CAPABILITIES);
  const vendorFilter = query.vendorFilter ?? {};
  const assigneeId = filter.assigneeId && toV4Id("provider", filter.assigneeId, "filter.assigneeId");
  const ids = {
    noteId: vendorId("note", vendorFilter.noteId, "vendorFilter.noteId"),
    patientId: vendorId("patient", vendorFilter.patientId, "vendorFilter.patientId"),
  };
  const dateFrom = vendorFilter.dateFrom && checkWireText(vendorFilter.dateFrom, "vendorFilter.dateFrom", "url").trim();
  if (dateFrom !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(dateFrom)) {
    throw new InvalidInputError("vendorFilter.dateFrom", "expected an ISO 8601 date");
  }
  if (filterMatchesNothing(STATUS_TABLES.maxai, filter, ["PROVIDER"])) return emptyPage();

  const offset = position ? offsetOf(position) : 0;
  const size = alignedPageSize(offset, pageSize);
  const page = Math.floor(offset / size) + 1;
  const pageStart = (page - 1) * size;
  const statuses = vendorStatusValues(STATUS_TABLES.maxai, filter.statuses);
  const response = await http.request({
    operation: "listTasks",
    method: "GET",
    path: path`/v4/tasks`,
    query: { status: statuses?.join(","), providerId: assigneeId, ...ids, dateFrom, page, pageSize: size },
    schema: TaskListEnvelope,
    signal: options?.signal,
  });
  const { tasks, pagination } = response.data.data;
  // Another page's tasks are not at the offsets asked for: a vendor ignoring `page` would repeat page 1 until totalPages,
  // and one answering another page size (its default, or a cap below what was asked) would skip or repeat tasks.
  const answered = { page: pagination.page, pageSize: pagination.pageSize };
  const asked = { page, pageSize: size };
  for (const key of ["page", "pageSize"] as const) {
    if (answered[key] === asked[key]) continue;
    throw new VendorContractViolationError(
      "maxai",
      `maxai listTasks: HTTP ${response.status} answered ${key} ${answered[key]} when asked for ${key} ${asked[key]}`,
      {
        status: response.status,
        traceId: response.traceId,
        detail: `pagination.${key}: not the ${key === "page" ? "page" : "page size"} asked for`,
        field: `pagination.${key}`,
      },
    );
  }
  const entries = decodeListEntries("maxai", tasks, TaskWire, response, (wire, raw) => mapTask(wire, raw, response));
  const at = (index: number) => encodePosition({ native: String(pageStart + index), seen: [] });
  // The vendor's count is the answer only when it applied every filter given.
  const exact = filter.updatedSince === undefined && (filter.statuses === undefined || statuses !== null);
  return buildTaskPage<MaxAiTask>({
    entries: taskEntries<MaxAiTask>(entries),
    resume: { by: "offset", from: offset - pageStart, positionAt: at },
    pageSize,
    filter: { ...filter, assigneeId },
    // The next page number starts after this page, however many tasks this one held. An empty page is past the last
    // task: a totalPages that outlasts the tasks would otherwise hold the listing open through empty pages.
    end: page < pagination.totalPages && tasks.length > 0 ? at(size) : null,
    totalCount: exact ? pagination.totalCount : null,
  });
}

/**
 * The vendor page size to ask for: the smallest from `pageSize` to the largest allowed whose page holding `offset`
 * still has `pageSize` tasks from there on. A caller resuming after any task would otherwise get only the rest of
 * the page of `pageSize` that holds it; `pageSize` itself where no size does.
 */
function alignedPageSize(offset: number, pageSize: number): number {
  for (let size = pageSize; size <= LIST_CAPABILITIES.maxPageSize; size++) {
    if (size - (offset % size) >= pageSize) return size;
  }
  return pageSize;
}

function offsetOf(position: string): number {
  const { native, seen } = decodePosition(position);
  if (native === null || !/^\d{1,9}$/.test(native) || seen.length > 0) {
    throw new InvalidInputError("position", "not a position from an earlier page of this listing");
  }
  return Number(native);
}

function vendorId(kind: MaxAiIdKind, value: string | undefined, field: string): string | undefined {
  return value === undefined ? undefined : toV4Id(kind, value, field);
}
