import { decodeListEntries, type HttpClient, path, type Query } from "@taskbridge/http";
import {
  buildTaskPage,
  type CakewalkTask,
  type CallOptions,
  decodePosition,
  emptyPage,
  filterMatchesNothing,
  InvalidInputError,
  type ListCapabilities,
  type ListTasksQuery,
  nextPageEnd,
  parseListQuery,
  STATUS_TABLES,
  type TaskPage,
  taskEntries,
  VendorContractViolationError,
  vendorStatusValues,
} from "@taskbridge/model";
import { parseId } from "./ids.ts";
import { mapTask } from "./map.ts";
import { TaskListWire, TaskWire } from "./wire.ts";

/**
 * The docs say the list is "optionally filtered by task status", but the parameter's name was not seen (endpoint:
 * sure; status parameter: not known — docs.getcakewalk.io/open-api-and-mcp/api-reference/tasks/get-tasks-userid-
 * userid). While it is null, statuses are filtered after fetching; naming it here sends the statuses' Cakewalk
 * values (repeated, one per value: also unconfirmed) and makes `capabilities.list.filters.statuses` "vendor".
 */
export const STATUS_PARAMETER: string | null = null;

/** The list's path, where `links.next` must point (compared case-insensitively, as ASP.NET routes). */
const LIST_PATH = "/api/v1/Tasks";

/**
 * A listing is one user's tasks (`userId`, required). Cursor paging, forward only: `links.next` (a relative path,
 * `page[cursor]`) is followed as given. No page-size parameter is documented: the vendor decides how many a page
 * holds and `pageSize` caps what one call returns. No order is documented.
 */
export const LIST_CAPABILITIES: ListCapabilities = Object.freeze({
  filters: Object.freeze({
    statuses: STATUS_PARAMETER ? "vendor" : "client",
    assigneeId: "client",
    updatedSince: "client",
  } as const),
  newestUpdateFirst: false,
  maxPageSize: 100,
  scope: "user",
  readsPerTask: 0,
});

/** Cakewalk documents no filter of its own beyond the user the listing is scoped to. */
export type ListQuery = ListTasksQuery;

/**
 * One page of `GET /api/v1/Tasks?userId=` (scope = the user id). A position is the vendor page's link (the first
 * page's too) and which of its tasks were examined already (PagePosition), so a task added or removed in that page
 * between two calls neither repeats nor hides another.
 * @see https://docs.getcakewalk.io/open-api-and-mcp/api-reference/tasks/get-tasks-userid-userid
 * @see https://docs.getcakewalk.io/open-api-and-mcp/pagination
 */
export async function listTasks(
  http: HttpClient,
  query: ListQuery,
  options?: CallOptions,
): Promise<TaskPage<CakewalkTask>> {
  const { filter = {}, pageSize, position, scope } = parseListQuery(query, LIST_CAPABILITIES);
  const userId = parseId(scope, "scope");
  const assigneeId = filter.assigneeId && parseId(filter.assigneeId, "filter.assigneeId");
  if (filterMatchesNothing(STATUS_TABLES.cakewalk, filter, ["USER"])) return emptyPage();
  const { native, seen } = decodePosition(position);
  // Every position names the link of its vendor page, the first page's too, so it is bound to this user's listing.
  const link = native ?? firstPageLink(userId, vendorStatusValues(STATUS_TABLES.cakewalk, filter.statuses));
  const response = await http.request({
    operation: "listTasks",
    method: "GET",
    ...request(link, userId),
    schema: TaskListWire,
    signal: options?.signal,
  });
  const { status, traceId } = response;
  const next = response.data.links?.next ?? null;
  const nextLink = next === null ? null : listingLink(next, userId);
  if (nextLink === undefined) {
    throw new VendorContractViolationError(
      "cakewalk",
      "cakewalk listTasks: links.next is not a link to this user's task list",
      { status, traceId, detail: "links.next: not a link to this user's task list", field: "links.next" },
    );
  }
  const entries = decodeListEntries("cakewalk", response.data.data, TaskWire, response, (wire, raw) =>
    mapTask(wire, raw, response),
  );
  return buildTaskPage<CakewalkTask>({
    entries: taskEntries<CakewalkTask>(entries),
    resume: { by: "identity", native: link, seen },
    pageSize,
    filter: { ...filter, assigneeId },
    ...nextPageEnd("cakewalk", "links.next", link, nextLink, response),
  });
}

/**
 * `links.next` as a link of this user's listing, or undefined when it leads elsewhere (another path or user). One that
 * names no user gets this listing's: the list takes `userId` (the docs say only to follow the link), and a position
 * stays bound to its user. The vendor's own parameters are kept as sent.
 */
function listingLink(next: string, userId: string): string | undefined {
  const link = relativeLink(next);
  if (link === undefined) return undefined;
  const named = new URL(link, "http://link.invalid").searchParams.get("userId");
  if (named === null) return `${link}${link.includes("?") ? "&" : "?"}userId=${encodeURIComponent(userId)}`;
  return named.toLowerCase() === userId ? link : undefined;
}

function firstPageLink(userId: string, statuses: string[] | null): string {
  const params = new URLSearchParams({ userId });
  if (STATUS_PARAMETER && statuses) for (const value of statuses) params.append(STATUS_PARAMETER, value);
  return `${LIST_PATH}?${params}`;
}

/** The request a page's link makes; refused when it is not a task-list link of this user's listing. */
function request(link: string, userId: string): { path: string; query: Query } {
  const url = relativeLink(link);
  const params = url === undefined ? undefined : new URL(url, "http://link.invalid").searchParams;
  if (!params || params.get("userId")?.toLowerCase() !== userId) {
    throw new InvalidInputError("position", "not a position from an earlier page of this listing");
  }
  const query: Query = {};
  for (const key of new Set(params.keys())) query[key] = params.getAll(key);
  return { path: path`/api/v1/Tasks`, query };
}

/**
 * `links.next` as a path and query on the configured base URL. Whatever origin the vendor writes into the link, the
 * request goes to the configured one (credentials never follow a link elsewhere); a link to another path is refused.
 */
function relativeLink(link: string): string | undefined {
  if (!URL.canParse(link, "http://link.invalid")) return undefined;
  const url = new URL(link, "http://link.invalid");
  return url.pathname.toLowerCase() === LIST_PATH.toLowerCase() ? `${LIST_PATH}${url.search}` : undefined;
}
