import {
  type AnyTask,
  InvalidInputError,
  type ListCapabilities,
  type ListTasksQuery,
  type TaskFilter,
  type TaskPage,
  type TaskSource,
  type TaskStatus,
  type Vendor,
} from "@taskbridge/model";
import { type GraphQLContext, sourceFor } from "./context.ts";
import { retryableCall } from "./errors.ts";
import { DONE, listingBinding, type Positions, type Progress, START } from "./list-cursor.ts";
import { servedVendor, vendorDisplayName, vendorEnumName } from "./vendor-lookup.ts";
import { VENDORS } from "./vendors.ts";

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 100;

/**
 * `taskList`'s arguments as GraphQL coerced them (omitted fields are null or absent) — or as the request's raw
 * variables give them, for the budget's upper bound: vendors by their enum names, `updatedSince` as text. Both read
 * the same, so a plan from raw variables is the plan the coerced ones make.
 */
export interface TaskListArgs {
  filter?: {
    vendors?: readonly string[] | null;
    statuses?: readonly TaskStatus[] | null;
    assignee?: string | null;
    updatedSince?: Date | string | null;
    scopes?: readonly { vendor: string; id: string }[] | null;
  } | null;
  first?: number | null;
  after?: string | null;
}

/** What one vendor does for a page, decided before any call: the budget plan and the listing share it. */
export type VendorStep =
  | { kind: "done"; vendor: Vendor }
  /** Not listed, with no call: the vendor cannot be listed as asked (not configured, cannot list, no scope). */
  | { kind: "blocked"; vendor: Vendor; error: Error }
  /** Nothing asked of it on this page: `first` is smaller than the number of vendors still listing. */
  | { kind: "wait"; vendor: Vendor }
  | {
      kind: "list";
      vendor: Vendor;
      source: TaskSource;
      query: ListTasksQuery;
      /** The most calls the page can make: the listing call, plus a read per task where the vendor needs one. */
      calls: number;
      /** The caller's name for each field of `query` the vendor's client may refuse (its BAD_USER_INPUT `field`). */
      inputFields: Readonly<Record<string, string>>;
    };

export interface PagePlan {
  binding: string;
  first: number;
  /** Where every vendor of the listing stands before this page. */
  positions: Positions;
  steps: VendorStep[];
}

const ORDER = new Map(VENDORS.map((vendor, i) => [vendor.id, i]));
const byRegistryOrder = (a: Vendor, b: Vendor) => (ORDER.get(a) ?? ORDER.size) - (ORDER.get(b) ?? ORDER.size);

/**
 * Plans a page: validates the arguments (InvalidInputError before any call), reads the cursor, and gives each
 * vendor still listing its share of `first` (split as evenly as it goes, the earlier vendors in registry order
 * taking the remainder), capped by its page size.
 */
export function planPage(ctx: GraphQLContext, args: TaskListArgs): PagePlan {
  const first = args.first ?? DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) {
    throw new InvalidInputError("first", `must be 1 to ${MAX_FIRST}`);
  }
  const filter = normalizeFilter(args.filter ?? {});
  const binding = listingBinding(ctx.tenant.id, filter);
  // An empty `after` is no cursor this API issued, not a request for the first page (which omits it).
  const positions = args.after != null ? ctx.cursors.decode(args.after, binding) : firstPositions(ctx, filter);

  const steps: VendorStep[] = [];
  const candidates: {
    vendor: Vendor;
    source: TaskSource;
    list: ListCapabilities;
    query: ListTasksQuery;
    inputFields: Record<string, string>;
  }[] = [];
  for (const [vendor, progress] of positions) {
    if (progress.state === "done") {
      steps.push({ kind: "done", vendor });
      continue;
    }
    try {
      const { source, list } = listableSource(ctx, vendor);
      const scope = filter.scopes.find(([v]) => v === vendor)?.[1] ?? ctx.tenant.listScope(vendor);
      if (list.scope !== null && scope === undefined) throw missingScope(vendor, list.scope);
      const query: ListTasksQuery = {
        filter: vendorFilter(vendor, filter),
        pageSize: 0,
        position: progress.state === "at" ? progress.position : null,
        ...(list.scope !== null ? { scope } : {}),
      };
      candidates.push({ vendor, source, list, query, inputFields: inputFields(args, vendor) });
    } catch (error) {
      steps.push({ kind: "blocked", vendor, error: error as Error });
    }
  }
  // A vendor that reads each task it lists (Capy) gets no more tasks than the request's call limit leaves room to
  // read, after every vendor's listing call: `first: 100` of Capy alone is 99 tasks, not a refused request.
  const readRoom = ctx.budget.maxCalls - candidates.length;
  candidates.forEach(({ vendor, source, list, query, inputFields }, i) => {
    const share = Math.floor(first / candidates.length) + (i < first % candidates.length ? 1 : 0);
    const readable = list.readsPerTask > 0 ? Math.floor(readRoom / list.readsPerTask) : share;
    const pageSize = Math.max(0, Math.min(share, list.maxPageSize, readable));
    if (pageSize === 0) steps.push({ kind: "wait", vendor });
    else
      steps.push({
        kind: "list",
        vendor,
        source,
        query: { ...query, pageSize },
        calls: 1 + list.readsPerTask * pageSize,
        inputFields,
      });
  });
  steps.sort((a, b) => byRegistryOrder(a.vendor, b.vendor));
  return { binding, first, positions, steps };
}

/** The vendor calls a page will make at most, per vendor (the budget plan); nothing for arguments it refuses. */
export function plannedCalls(ctx: GraphQLContext, args: TaskListArgs): { vendor: Vendor }[] {
  let plan: PagePlan;
  try {
    plan = planPage(ctx, args);
  } catch {
    return [];
  }
  return plan.steps.flatMap((step) =>
    step.kind === "list" ? Array.from({ length: step.calls }, () => ({ vendor: step.vendor })) : [],
  );
}

export interface ListedEdge {
  task: AnyTask;
  /** Where every vendor resumes right after this task. */
  positions: Positions;
}

export interface VendorProblem {
  vendor: Vendor;
  error: unknown;
}

export interface ListedPage {
  edges: ListedEdge[];
  /** Where every vendor resumes after this page. */
  end: Positions;
  hasNextPage: boolean;
  /** Vendors that could not be listed on this page; their positions are kept. */
  failures: VendorProblem[];
  /** Entries a vendor listed that broke its contract: skipped, the listing moved past them. */
  unreadable: VendorProblem[];
}

/** Lists one page: every planned vendor at once, then the merge. A vendor's failure costs only its own tasks. */
export async function listPage(ctx: GraphQLContext, plan: PagePlan): Promise<ListedPage> {
  const failures: VendorProblem[] = [];
  const pages = new Map<Vendor, TaskPage<AnyTask>>();
  await Promise.all(
    plan.steps.map(async (step) => {
      if (step.kind === "blocked") failures.push({ vendor: step.vendor, error: step.error });
      if (step.kind !== "list") return;
      try {
        const list = () => (step.source.listTasks as ListTasks)(step.query, { signal: ctx.signal });
        pages.set(step.vendor, await ctx.budget.call(step.vendor, list, step.calls));
      } catch (error) {
        failures.push({ vendor: step.vendor, error: asCallerInput(error, step.inputFields) });
      }
    }),
  );
  failures.sort((a, b) => byRegistryOrder(a.vendor, b.vendor));
  const { edges, end } = mergePages(plan.first, plan.positions, pages);
  // A vendor that failed for a reason that may pass holds the listing open: the next page asks it again.
  const stuck = new Set(failures.filter(({ error }) => !retryableCall(error)).map(({ vendor }) => vendor));
  const hasNextPage = [...end].some(([vendor, progress]) => progress.state !== "done" && !stuck.has(vendor));
  const unreadable = [...pages].flatMap(([vendor, page]) => page.unreadable.map((error) => ({ vendor, error })));
  return { edges, end, hasNextPage, failures, unreadable };
}

type ListTasks = (query: ListTasksQuery, options: { signal: AbortSignal | undefined }) => Promise<TaskPage<AnyTask>>;

/**
 * Merges the vendors' pages: each vendor's tasks stay in the vendor's order, and at each step the vendor whose next
 * task was updated last goes first (ties: registry order, then id). Each edge carries where every vendor resumes
 * right after it — after its own last task so far, so resuming from any edge neither repeats nor skips a task. A
 * vendor whose page held no task (all filtered out after fetching) has moved on all the same.
 */
export function mergePages(first: number, incoming: Positions, pages: ReadonlyMap<Vendor, TaskPage<AnyTask>>) {
  const positions = new Map(incoming);
  for (const [vendor, page] of pages) if (page.items.length === 0) positions.set(vendor, progressAt(page.next));
  const used = new Map([...pages.keys()].map((vendor) => [vendor, 0]));
  const edges: ListedEdge[] = [];
  while (edges.length < first) {
    let next: { vendor: Vendor; task: AnyTask; after: string | null } | undefined;
    for (const [vendor, page] of pages) {
      const item = page.items[used.get(vendor) ?? 0];
      if (item && (!next || newer(item.task, next.task))) next = { vendor, ...item };
    }
    if (!next) break;
    used.set(next.vendor, (used.get(next.vendor) ?? 0) + 1);
    positions.set(next.vendor, progressAt(next.after));
    edges.push({ task: next.task, positions: new Map(positions) });
  }
  return { edges, end: positions as Positions };
}

function newer(a: AnyTask, b: AnyTask): boolean {
  // An updatedAt the vendor's answer left unreadable (null) sorts as the oldest.
  if (a.updatedAt !== b.updatedAt) return (a.updatedAt ?? "") > (b.updatedAt ?? "");
  if (a.vendor !== b.vendor) return byRegistryOrder(a.vendor, b.vendor) < 0;
  return a.id < b.id;
}

/**
 * The fields of a vendor client's query as the caller gave them: a client names its query's fields
 * (`filter.assigneeId`, `scope`), which a caller never sees; the scope only when the filter gave it.
 */
function inputFields(args: TaskListArgs, vendor: Vendor): Record<string, string> {
  const scope = args.filter?.scopes?.findIndex((given) => vendorOf(given.vendor, "filter.scopes") === vendor) ?? -1;
  return { "filter.assigneeId": "filter.assignee", ...(scope >= 0 ? { scope: `filter.scopes.${scope}.id` } : {}) };
}

/** A vendor client's refusal of its query, naming the field the caller gave. */
function asCallerInput(error: unknown, fields: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof InvalidInputError)) return error;
  const field = fields[error.field];
  return field ? new InvalidInputError(field, error.message.slice(error.field.length + 2)) : error;
}

function progressAt(position: string | null): Progress {
  return position === null ? DONE : { state: "at", position };
}

/** The filter in one canonical form: what a cursor is bound to. */
interface NormalizedFilter {
  vendors: Vendor[] | null;
  statuses: TaskStatus[] | null;
  assignee: string | null;
  updatedSince: string | null;
  scopes: [Vendor, string][];
}

function normalizeFilter(filter: NonNullable<TaskListArgs["filter"]>): NormalizedFilter {
  const distinct = <T extends string>(values: readonly T[] | null | undefined, field: string): T[] | null => {
    if (values == null) return null;
    if (values.length === 0) throw new InvalidInputError(field, "give at least one, or leave it out");
    return [...new Set(values)].sort();
  };
  const assignee = filter.assignee?.trim() || null;
  if (assignee !== null && assignee.length > 256) throw new InvalidInputError("filter.assignee", "too long");
  const scopes = (filter.scopes ?? []).map(({ vendor: given, id }, i): [Vendor, string] => {
    const vendor = vendorOf(given, `filter.scopes.${i}.vendor`);
    const scope = id.trim();
    if (!scope || scope.length > 200) throw new InvalidInputError(`filter.scopes.${i}.id`, "must be 1–200 characters");
    if (servedList(vendor)?.scope === null) {
      throw new InvalidInputError(`filter.scopes.${i}`, `${vendorDisplayName(vendor)} lists tasks without a scope`);
    }
    return [vendor, scope];
  });
  if (new Set(scopes.map(([vendor]) => vendor)).size < scopes.length) {
    throw new InvalidInputError("filter.scopes", "one scope per vendor");
  }
  const since = filter.updatedSince ?? null;
  const updatedSince = typeof since === "string" ? new Date(since) : since;
  if (updatedSince !== null && Number.isNaN(updatedSince.getTime())) {
    throw new InvalidInputError("filter.updatedSince", "not a date-time");
  }
  return {
    vendors:
      distinct(
        filter.vendors?.map((v, i) => vendorOf(v, `filter.vendors.${i}`)),
        "filter.vendors",
      )?.sort(byRegistryOrder) ?? null,
    statuses: distinct(filter.statuses, "filter.statuses"),
    assignee,
    updatedSince: updatedSince?.toISOString() ?? null,
    scopes: scopes.sort(([a], [b]) => byRegistryOrder(a, b)),
  };
}

/**
 * The first page's vendors: the ones the filter names, else every vendor of the tenant that can list; only the
 * assignee's vendor when the assignee is a global id (`cakewalk:…`), since no other vendor's task can match.
 */
function firstPositions(ctx: GraphQLContext, filter: NormalizedFilter): Positions {
  const owner = assigneeVendor(filter.assignee);
  const vendors =
    filter.vendors ??
    VENDORS.filter(({ id }) => ctx.tenant.sources.get(id)?.listTasks && servedList(id)).map(({ id }) => id);
  return new Map(vendors.filter((vendor) => owner === undefined || vendor === owner).map((vendor) => [vendor, START]));
}

/** The vendor of an assignee given as a global id (`<vendor>:<vendor's id>`), else undefined. */
function assigneeVendor(assignee: string | null): Vendor | undefined {
  if (assignee === null) return undefined;
  const prefix = assignee.slice(0, assignee.indexOf(":"));
  return ORDER.has(prefix) ? prefix : undefined;
}

function vendorFilter(vendor: Vendor, filter: NormalizedFilter): TaskFilter {
  const owner = assigneeVendor(filter.assignee);
  const assigneeId = owner === vendor ? filter.assignee?.slice(vendor.length + 1) : filter.assignee;
  return {
    ...(filter.statuses ? { statuses: filter.statuses } : {}),
    ...(assigneeId ? { assigneeId } : {}),
    ...(filter.updatedSince ? { updatedSince: filter.updatedSince } : {}),
  };
}

/** A vendor by its id, or by its GraphQL enum name as raw variables give it. */
function vendorOf(given: string, field: string): Vendor {
  const served = VENDORS.find(({ id, publicName }) => given === id || given === publicName);
  if (!served) throw new InvalidInputError(field, "not a vendor this service serves");
  return served.id;
}

function servedList(vendor: Vendor): ListCapabilities | null | undefined {
  return servedVendor(vendor)?.capabilities.list;
}

/** The tenant's client for a vendor that can list; VENDOR_NOT_CONFIGURED or BAD_USER_INPUT otherwise. */
function listableSource(ctx: GraphQLContext, vendor: Vendor): { source: TaskSource; list: ListCapabilities } {
  const source = sourceFor(ctx.tenant, vendor);
  const list = source.capabilities.list;
  if (!list || !source.listTasks) {
    throw new InvalidInputError("filter.vendors", `${vendorDisplayName(vendor)} cannot list tasks`);
  }
  return { source, list };
}

function missingScope(vendor: Vendor, scope: string): InvalidInputError {
  return new InvalidInputError(
    "filter.scopes",
    `${vendorDisplayName(vendor)} lists one ${scope}'s tasks: give filter.scopes [{ vendor: ${vendorEnumName(vendor)}, id: <${scope} id> }], or set listScope on the tenant's ${vendor} connection`,
  );
}
