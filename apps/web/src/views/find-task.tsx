import { graphql, type ResultOf, TaskFields, type TaskRef } from "@taskbridge/client";
import { type FormEvent, useEffect, useId } from "react";
import type { ViewProps } from "../app.tsx";
import { Assignees } from "../components/assignees.tsx";
import { ErrorPanel } from "../components/error-panel.tsx";
import { TaskDetails } from "../components/task-details.tsx";
import { useRequest } from "../use-request.ts";
import { VENDOR_LABELS } from "../vendors.ts";
import { isVendor, VendorSelect } from "./vendor-select.tsx";

/** The client's TaskFields plus the vendor's raw payload: an app's own selection, typed by what it selects. */
const FindTaskQuery = graphql(
  `
  query FindTask($id: ID!, $vendor: Vendor!) {
    task(id: $id, vendor: $vendor) { ...TaskFields raw }
  }
`,
  [TaskFields],
);

type Found = { ref: TaskRef; task: ResultOf<typeof FindTaskQuery>["task"] };

export function FindTaskView({ client, search }: ViewProps & { search: URLSearchParams }) {
  const [state, run] = useRequest<Found>();
  const vendorId = useId();
  const idId = useId();
  const find = (ref: TaskRef) =>
    run(async (signal) => ({ ref, task: (await client.request(FindTaskQuery, ref, { signal })).task }));

  // `#find?vendor=CAPY&id=…` (links from the other views) opens that task.
  const linkedVendor = search.get("vendor");
  const linkedId = search.get("id");
  useEffect(() => {
    if (isVendor(linkedVendor) && linkedId) find({ vendor: linkedVendor, id: linkedId });
  }, [linkedVendor, linkedId]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const vendor = form.get("vendor");
    const id = String(form.get("id") ?? "").trim();
    if (isVendor(vendor) && id) find({ vendor, id });
  };

  return (
    <>
      <form className="card search" onSubmit={submit} key={`${linkedVendor}:${linkedId}`}>
        <h2>Find a task</h2>
        <label htmlFor={vendorId}>Vendor</label>
        <VendorSelect id={vendorId} name="vendor" defaultValue={isVendor(linkedVendor) ? linkedVendor : undefined} />
        <label htmlFor={idId}>Task id</label>
        <input
          id={idId}
          name="id"
          defaultValue={linkedId ?? ""}
          placeholder="the vendor's id, or a global id"
          required
        />
        <button type="submit">Find</button>
      </form>
      {state.status === "loading" && <p aria-busy="true">Looking the task up…</p>}
      {state.status === "failed" && <ErrorPanel error={state.error} />}
      {state.status === "done" && !state.value.task && (
        <p className="card" role="status">
          {VENDOR_LABELS[state.value.ref.vendor]} has no task with id <code>{state.value.ref.id}</code>.
        </p>
      )}
      {state.status === "done" && state.value.task && (
        <>
          <TaskDetails task={state.value.task} />
          <Assignees
            key={state.value.task.id}
            client={client}
            taskRef={{ vendor: state.value.task.vendor, id: state.value.task.vendorId }}
          />
        </>
      )}
    </>
  );
}
