import type { Assignee, TaskbridgeClient, TaskRef } from "@taskbridge/client";
import { useRequest } from "../use-request.ts";
import { ErrorPanel } from "./error-panel.tsx";

/**
 * Assignees load only when asked for: selecting `person` is what can cost the vendor a lookup per person, so
 * the task view never selects it up front.
 */
export function Assignees({ client, taskRef }: { client: TaskbridgeClient; taskRef: TaskRef }) {
  const [state, run] = useRequest<Assignee[] | null>();
  const load = () => run((signal) => client.getAssignees(taskRef, { signal }));
  return (
    <section className="card assignees">
      <h3>Assignees</h3>
      {state.status === "idle" && (
        <button type="button" onClick={load}>
          Show assignees
        </button>
      )}
      {state.status === "loading" && <p aria-busy="true">Loading assignees…</p>}
      {state.status === "failed" && (
        <>
          <ErrorPanel error={state.error} />
          <button type="button" onClick={load}>
            Try again
          </button>
        </>
      )}
      {state.status === "done" && <AssigneeList assignees={state.value ?? []} />}
    </section>
  );
}

function AssigneeList({ assignees }: { assignees: Assignee[] }) {
  if (assignees.length === 0) return <p>No assignees.</p>;
  return (
    <ul>
      {assignees.map((assignee) => (
        <li key={assignee.id} data-testid="assignee">
          <strong>{assignee.person?.displayName ?? assignee.vendorId}</strong> <small>{assignee.kind}</small>
          {assignee.person?.email && <> · {assignee.person.email}</>}
          {assignee.person && assignee.person.roles.length > 0 && <> · {assignee.person.roles.join(", ")}</>}
          {!assignee.person && <> · the vendor cannot look this assignee up</>}
        </li>
      ))}
    </ul>
  );
}
