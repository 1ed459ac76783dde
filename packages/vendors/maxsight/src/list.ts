import { decodeListEntries, type HttpClient, path } from "@taskbridge/http";
import {
  buildTaskPage,
  type CallOptions,
  decodePosition,
  emptyPage,
  filterMatchesNothing,
  InvalidInputError,
  type ListCapabilities,
  type ListTasksQuery,
  type MaxsightTask,
  nextPageEnd,
  parseListQuery,
  STATUS_TABLES,
  type TaskPage,
  taskEntries,
  vendorStatusValues,
} from "@taskbridge/model";
import { parseId } from "./ids.ts";
import { mapTask } from "./map.ts";
import { MaxsightSearchWire, MaxsightTaskWire } from "./wire.ts";

/**
 * The filter-model column of the task status. The docs' filter-model page uses `status` as its example column and
 * says set filters are for discrete values "such as task status", but names no columns: fairly sure, not confirmed
 * (docs.maxsight.com/en/task-search-filter-model-structure.html).
 */
export const STATUS_COLUMN = "status";

/**
 * The order asked for: TASK_ID ascending, the docs' own sample and the one documented field that is unique, so pages
 * never tie. No documented field is the update time (TASK_ID, CREATED_AT, ENTITY_ID, ASSESSMENT_ID, STATUS,
 * ASSIGNED_TO_ID), so newest-update-first is not possible.
 */
const SORTING = { sorting_field: "TASK_ID", sorting_type: "ASC" } as const;

/** `max_page_size` defaults to 50; no larger value is documented, so none is asked for. */
const MAX_PAGE_SIZE = 50;

/**
 * Statuses go to the vendor as a set filter on `STATUS_COLUMN`; the assignee and `updatedSince` are applied after
 * fetching (the columns of the assignment and of the update time are not documented). Ordered by task id.
 */
export const LIST_CAPABILITIES: ListCapabilities = Object.freeze({
  filters: Object.freeze({ statuses: "vendor", assigneeId: "client", updatedSince: "client" } as const),
  newestUpdateFirst: false,
  maxPageSize: MAX_PAGE_SIZE,
  scope: null,
  readsPerTask: 0,
});

/** Maxsight's own filter of `POST /v5/tasks/search`. */
export interface VendorFilter {
  /** An AG Grid filter model of the caller's own, sent as it is (merged with the status filter, if any). */
  filterModel?: Record<string, unknown> | undefined;
}

export interface ListQuery extends ListTasksQuery {
  vendorFilter?: VendorFilter | undefined;
}

/**
 * One page of `POST /v5/tasks/search`. A position is the vendor page's `page_token` (none for the first page) and
 * which of its tasks were examined already (PagePosition); the vendor page is read again to continue inside it.
 * @see https://docs.maxsight.com/en/search-tasks.html
 */
export async function listTasks(
  http: HttpClient,
  query: ListQuery,
  options?: CallOptions,
): Promise<TaskPage<MaxsightTask>> {
  const { filter = {}, pageSize, position } = parseListQuery(query, LIST_CAPABILITIES);
  // Compared with the mapped assignees' ids, which are lower case.
  const assigneeId = filter.assigneeId && parseId(filter.assigneeId, "filter.assigneeId");
  if (filterMatchesNothing(STATUS_TABLES.maxsight, filter, ["USER", "TEAM"])) return emptyPage();
  const { native, seen } = decodePosition(position);
  const filterModel = searchFilter(
    query.vendorFilter?.filterModel,
    vendorStatusValues(STATUS_TABLES.maxsight, filter.statuses),
  );

  const response = await http.request({
    operation: "listTasks",
    method: "POST",
    path: path`/v5/tasks/search`,
    // A search changes nothing: retried like a read.
    readOnly: true,
    body: {
      filter_model: filterModel,
      // Enough to pass over what was examined and fill the page; like the identity of a position, this takes a
      // page_token to say where a page starts, not how big it is.
      max_page_size: Math.min(MAX_PAGE_SIZE, seen.length + pageSize),
      page_token: native,
      ...SORTING,
    },
    schema: MaxsightSearchWire,
    signal: options?.signal,
  });
  const entries = decodeListEntries("maxsight", response.data.items, MaxsightTaskWire, response, (wire, raw) =>
    mapTask(wire, raw, response),
  );
  return buildTaskPage<MaxsightTask>({
    entries: taskEntries<MaxsightTask>(entries),
    resume: { by: "identity", native, seen },
    pageSize,
    filter: { ...filter, assigneeId },
    ...nextPageEnd("maxsight", "next_page_token", native, response.data.next_page_token ?? null, response),
  });
}

/** The caller's filter model plus the status set filter; null when there is neither (as the docs' sample sends). */
function searchFilter(
  own: Record<string, unknown> | undefined,
  statuses: string[] | null,
): Record<string, unknown> | null {
  if (own !== undefined && (typeof own !== "object" || own === null || Array.isArray(own))) {
    throw new InvalidInputError("vendorFilter.filterModel", "expected an AG Grid filter model (an object)");
  }
  if (statuses === null) return own ?? null;
  if (own && Object.hasOwn(own, STATUS_COLUMN)) {
    throw new InvalidInputError("vendorFilter.filterModel", `filter statuses in filter.statuses or here, not both`);
  }
  return { ...own, [STATUS_COLUMN]: { filterType: "set", values: statuses } };
}
