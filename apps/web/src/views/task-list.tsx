import {
  TASK_STATUSES,
  type Task,
  type TaskbridgeClient,
  type TaskListFilter,
  type TaskPage,
  VENDORS,
} from "@taskbridge/client";
import { type FormEvent, useEffect, useId, useState } from "react";
import type { ViewProps } from "../app.tsx";
import { ErrorDetailPanel, ErrorPanel } from "../components/error-panel.tsx";
import { TaskActions } from "../components/task-actions.tsx";
import { Value } from "../components/task-details.tsx";
import { useRequest } from "../use-request.ts";
import { VENDOR_LABELS } from "../vendors.ts";

const PAGE_SIZES = [10, 20, 50] as const;

/** What is listed: the filter and page size every page of one listing shares (the cursor is bound to them). */
interface Listing {
  filter: TaskListFilter;
  first: number;
}

interface Shown {
  page: TaskPage;
  /** 1 for the first page. */
  number: number;
}

/** The form's checked values of one group; none checked leaves the filter out (every vendor, any status). */
function listingFrom(form: FormData): Listing {
  const filter: TaskListFilter = {};
  const vendors = VENDORS.filter((vendor) => form.getAll("vendors").includes(vendor));
  const statuses = TASK_STATUSES.filter((status) => form.getAll("statuses").includes(status));
  if (vendors.length) filter.vendors = vendors;
  if (statuses.length) filter.statuses = statuses;
  return { filter, first: Number(form.get("first")) || 20 };
}

/**
 * Tasks across every vendor, page by page through the connection's cursor. A vendor that could not be listed is
 * shown with its error above the others' tasks; each task offers the actions its state allows.
 */
export function TaskListView({ client, openTask }: ViewProps) {
  const [listing, setListing] = useState<Listing>({ filter: {}, first: 20 });
  const [state, run] = useRequest<Shown>();
  const firstId = useId();
  const load = (of: Listing, after: string | null, number: number) =>
    run(async (signal) => ({ page: await client.listTasks({ ...of, after }, { signal }), number }));
  // The first page once, when the view opens.
  useEffect(() => load(listing, null, 1), []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = listingFrom(new FormData(event.currentTarget));
    setListing(next);
    load(next, null, 1);
  };

  return (
    <>
      <form className="card list-filter" onSubmit={submit}>
        <h2>Tasks across vendors</h2>
        <fieldset>
          <legend>Vendors (none checked: every vendor)</legend>
          {VENDORS.map((vendor) => (
            <label key={vendor}>
              <input type="checkbox" name="vendors" value={vendor} /> {VENDOR_LABELS[vendor]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Statuses (none checked: any)</legend>
          {TASK_STATUSES.map((status) => (
            <label key={status}>
              <input type="checkbox" name="statuses" value={status} /> {status}
            </label>
          ))}
        </fieldset>
        <label htmlFor={firstId}>Tasks per page</label>
        <select id={firstId} name="first" defaultValue={20}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button type="submit">List</button>
      </form>
      {state.status === "loading" && <p aria-busy="true">Listing…</p>}
      {state.status === "failed" && <ErrorPanel error={state.error} />}
      {state.status === "done" && (
        <PageOfTasks
          client={client}
          shown={state.value}
          openTask={openTask}
          onFirst={() => load(listing, null, 1)}
          onNext={(after) => load(listing, after, state.value.number + 1)}
        />
      )}
    </>
  );
}

function PageOfTasks({
  client,
  shown: { page, number },
  openTask,
  onFirst,
  onNext,
}: {
  client: TaskbridgeClient;
  shown: Shown;
  openTask: ViewProps["openTask"];
  onFirst(): void;
  onNext(after: string | null): void;
}) {
  const { hasNextPage, endCursor } = page.pageInfo;
  return (
    <section className="card task-page">
      <h2>Page {number}</h2>
      <p className="hint" data-testid="page-summary">
        {page.tasks.length} tasks. {hasNextPage ? "More follow." : "The last page."}
      </p>
      {page.vendorErrors.length > 0 && (
        <div data-testid="vendor-errors">
          <h3>Not listed on this page</h3>
          {page.vendorErrors.map((error) => (
            <ErrorDetailPanel key={error.vendor ?? error.code} error={error} />
          ))}
          <p className="hint">
            The other vendors' tasks are below. The next page asks{" "}
            {page.vendorErrors.map((error) => (error.vendor ? VENDOR_LABELS[error.vendor] : error.code)).join(", ")}{" "}
            again from where it stood.
          </p>
        </div>
      )}
      {page.unreadable.length > 0 && (
        <div data-testid="unreadable">
          <h3>Skipped: listed entries the vendor's contract does not allow</h3>
          {page.unreadable.map((error, index) => (
            // Two entries of one vendor can share code and message: the position tells them apart.
            <ErrorDetailPanel key={index} error={error} />
          ))}
        </div>
      )}
      {page.tasks.length > 0 && (
        <table className="tasks">
          <thead>
            <tr>
              <th>Vendor</th>
              <th>Task</th>
              <th>Status</th>
              <th>Updated</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.tasks.map((task) => (
              <TaskRow key={task.id} client={client} initial={task} openTask={openTask} />
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        {number > 1 && (
          <button type="button" onClick={onFirst}>
            First page
          </button>
        )}
        {hasNextPage && (
          <button type="button" onClick={() => onNext(endCursor)}>
            Next page
          </button>
        )}
      </div>
    </section>
  );
}

/** One task; an action replaces it with the task as the action left it. */
function TaskRow({
  client,
  initial,
  openTask,
}: {
  client: TaskbridgeClient;
  initial: Task;
  openTask: ViewProps["openTask"];
}) {
  const [task, setTask] = useState(initial);
  return (
    <tr data-testid="task-row" data-task-id={task.id}>
      <td>{VENDOR_LABELS[task.vendor]}</td>
      <td>
        <button type="button" className="link" onClick={() => openTask(task.vendor, task.vendorId)}>
          {task.title ?? "(no title)"}
        </button>
        <br />
        <small>
          <code>{task.vendorId}</code>
        </small>
      </td>
      <td>
        <span className="status" data-status={task.status}>
          {task.status}
        </span>{" "}
        <code className="vendor-status">{task.vendorStatus}</code>
      </td>
      <td>
        {task.updatedAt === null ? (
          <Value value={null} problem={task.problems?.updatedAt} />
        ) : (
          <time dateTime={task.updatedAt}>{task.updatedAt.replace("T", " ").slice(0, 16)}</time>
        )}
      </td>
      <td>
        <TaskActions client={client} task={task} onChange={setTask} />
      </td>
    </tr>
  );
}
