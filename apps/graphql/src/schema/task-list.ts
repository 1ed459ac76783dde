import type { AnyTask } from "@taskbridge/model";
import { builder } from "../builder.ts";
import { reportFailure } from "../errors.ts";
import type { Positions } from "../list-cursor.ts";
import type { VendorCallsOf } from "../plugins/vendor-call-plan.ts";
import {
  DEFAULT_FIRST,
  type ListedEdge,
  listPage,
  MAX_FIRST,
  plannedCalls,
  planPage,
  type TaskListArgs,
  type VendorProblem,
} from "../task-list.ts";
import { TaskErrorObject, type TaskErrorShape, taskErrorFrom } from "./errors.ts";
import { TaskInterface } from "./task.ts";
import { TaskStatusEnum } from "./task-status.ts";
import { VendorEnum } from "./vendor.ts";

interface EdgeShape {
  task: AnyTask;
  cursor: () => string;
}

interface ConnectionShape {
  edges: EdgeShape[];
  pageInfo: { hasNextPage: boolean; startCursor: string | null; endCursor: string | null };
  vendorErrors: TaskErrorShape[];
  unreadable: TaskErrorShape[];
}

const ListScopeInput = builder.inputType("ListScopeInput", {
  description: "The scope of one vendor's listing: Cakewalk lists one user's tasks, Capy one project's.",
  fields: (t) => ({
    vendor: t.field({ type: VendorEnum, required: true }),
    id: t.id({ required: true, description: "The vendor's id of the user (Cakewalk) or project (Capy)." }),
  }),
});

const TaskListFilter = builder.inputType("TaskListFilter", {
  description:
    "Every field narrows: a task matches all of them. Each vendor applies what it can itself and Taskbridge applies the rest to what it fetched (see the API reference, apps/graphql/README.md), so a page can hold fewer tasks than asked for, even none, while more follow.",
  fields: (t) => ({
    vendors: t.field({
      type: [VendorEnum],
      description: "The vendors to list. Default: every vendor of the tenant that can list.",
    }),
    statuses: t.field({ type: [TaskStatusEnum], description: "Any of these canonical statuses." }),
    assignee: t.id({
      description:
        "Assigned to this person or team: a global id (`Assignee.id`, `<vendor>:<id>`) lists only that vendor; a vendor's own id is given to every vendor listed (one whose ids look different answers BAD_USER_INPUT in vendorErrors).",
    }),
    updatedSince: t.field({ type: "DateTime", description: "Updated at or after this instant." }),
    scopes: t.field({
      type: [ListScopeInput],
      description:
        "The scope of vendors whose listings need one (Cakewalk: a user id, Capy: a project id), one per vendor. Default: the tenant connection's `listScope`.",
    }),
  }),
});

const PageInfoObject = builder.objectRef<ConnectionShape["pageInfo"]>("PageInfo").implement({
  description: "Relay's page info. Forward paging only: hasPreviousPage is always false.",
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage", {
      description:
        "Whether a next page (after endCursor) can bring more: a vendor has tasks left, or failed for a reason that may pass (retryable). A vendor that failed otherwise keeps its position in endCursor but does not hold the listing open.",
    }),
    hasPreviousPage: t.boolean({
      description: "Always false: the listing pages forward only.",
      resolve: () => false,
    }),
    startCursor: t.exposeString("startCursor", {
      nullable: true,
      description: "The first edge's cursor; null on a page without edges.",
    }),
    endCursor: t.exposeString("endCursor", {
      nullable: true,
      description:
        "Where the next page starts: the last edge's cursor, or, on a page without edges, a cursor holding every vendor's position (a vendor may have moved past tasks that did not match, or must be asked again). Null only when every vendor is done and the page has no edges.",
    }),
  }),
});

const TaskEdgeObject = builder.objectRef<EdgeShape>("TaskEdge").implement({
  description: "One task of a page, and where the listing resumes after it.",
  fields: (t) => ({
    cursor: t.string({
      description: "Resumes the listing right after this task (opaque, signed, bound to the tenant and filter).",
      resolve: (edge) => edge.cursor(),
    }),
    node: t.field({ type: TaskInterface, description: "The task.", resolve: (edge) => edge.task }),
  }),
});

const TaskConnectionObject = builder.objectRef<ConnectionShape>("TaskConnection").implement({
  description:
    "A page of tasks across vendors. Each vendor's tasks come in the vendor's own order; within a page, the vendor whose next task was updated last goes first. Every task matching the filter appears once across pages while the data does not change.",
  fields: (t) => ({
    edges: t.field({
      type: [TaskEdgeObject],
      description:
        "At most `first` tasks; fewer, even none, while more follow (filters applied after fetching, a vendor page's end). Only `pageInfo.hasNextPage` says whether the listing goes on.",
      resolve: (c) => c.edges,
    }),
    pageInfo: t.field({ type: PageInfoObject, description: "Where to go on.", resolve: (c) => c.pageInfo }),
    vendorErrors: t.field({
      type: [TaskErrorObject],
      description:
        "Vendors that could not be listed on this page (the others' tasks are here). Their positions are kept in the cursors, so the next page asks them again; `retryable` and `retryAfterSeconds` say whether and when that can help.",
      resolve: (c) => c.vendorErrors,
    }),
    unreadable: t.field({
      type: [TaskErrorObject],
      description:
        "Entries a vendor listed that break its contract (VENDOR_CONTRACT_VIOLATION naming the field): skipped, and the listing moved past them.",
      resolve: (c) => c.unreadable,
    }),
  }),
});

builder.queryField("taskList", (t) =>
  t.field({
    type: TaskConnectionObject,
    description: `Tasks across the tenant's vendors, page by page (Relay cursor connection, forward only). A page of first: N costs at most one listing call per vendor still listing (Capy: plus one read per task), and none for people unless \`person\` is selected. Invalid arguments or a cursor this API did not issue for this listing are BAD_USER_INPUT before any call.`,
    args: {
      filter: t.arg({ type: TaskListFilter }),
      first: t.arg.int({ defaultValue: DEFAULT_FIRST, description: `1–${MAX_FIRST} tasks.` }),
      after: t.arg.string({
        description: "endCursor (or an edge's cursor) of the previous page, with the same filter.",
      }),
    },
    extensions: {
      vendorCalls: ((args, ctx) => plannedCalls(ctx, args as TaskListArgs)) satisfies VendorCallsOf,
    },
    resolve: async (_root, args, ctx) => {
      try {
        const plan = planPage(ctx, args as TaskListArgs);
        const page = await listPage(ctx, plan);
        for (const { error } of page.failures) reportFailure(ctx.log, error);
        const cursor = (positions: Positions) => () => ctx.cursors.encode(plan.binding, positions);
        const edges = page.edges.map((edge: ListedEdge) => ({ task: edge.task, cursor: cursor(edge.positions) }));
        const everyVendorDone = [...page.end.values()].every((progress) => progress.state === "done");
        const endCursor = edges.at(-1)?.cursor() ?? (everyVendorDone ? null : cursor(page.end)());
        return {
          edges,
          pageInfo: { hasNextPage: page.hasNextPage, startCursor: edges[0]?.cursor() ?? null, endCursor },
          vendorErrors: page.failures.map(asTaskError),
          unreadable: page.unreadable.map(asTaskError),
        };
      } catch (error) {
        throw reportFailure(ctx.log, error);
      }
    },
  }),
);

function asTaskError({ vendor, error }: VendorProblem): TaskErrorShape {
  return taskErrorFrom(error, vendor);
}
