import type { ErrorDetail, Task } from "@taskbridge/client";
import { VENDOR_LABELS } from "../vendors.ts";

/** Fields every vendor's task has; whatever else the task carries is its vendor's own. */
const CANONICAL = new Set([
  "__typename",
  "id",
  "vendor",
  "vendorId",
  "title",
  "description",
  "status",
  "vendorStatus",
  "createdAt",
  "updatedAt",
  "version",
  "availableActions",
  "raw",
  "problems",
]);

/** "ehrType" → "ehr type" */
const label = (field: string) => field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** A field's value; a field the vendor sent unreadably says so, with the service's reason on hover. */
export function Value({ value, problem }: { value: unknown; problem?: ErrorDetail | undefined }) {
  if (problem) {
    return (
      <span className="none" title={problem.message} data-problem={problem.code}>
        unreadable
      </span>
    );
  }
  if (value === null || value === undefined) return <span className="none">—</span>;
  if (typeof value === "object") return <code className="json">{JSON.stringify(value)}</code>;
  return <>{String(value)}</>;
}

/** A task's canonical fields, then its vendor's own, then (when selected) the vendor's payload as sent. */
export function TaskDetails({ task }: { task: Task & { raw?: unknown } }) {
  const vendorFields = Object.entries(task).filter(([field]) => !CANONICAL.has(field));
  return (
    <article className="card task" data-testid="task">
      <h2>{task.title ?? <span className="none">(no title)</span>}</h2>
      <dl>
        <dt>Status</dt>
        <dd>
          <span className="status" data-status={task.status}>
            {task.status}
          </span>
        </dd>
        <dt>Vendor status</dt>
        <dd>
          <code>{task.vendorStatus}</code> <small>(as {VENDOR_LABELS[task.vendor]} sent it)</small>
        </dd>
        <dt>Vendor</dt>
        <dd>{VENDOR_LABELS[task.vendor]}</dd>
        <dt>Vendor id</dt>
        <dd>
          <code>{task.vendorId}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <Value value={task.createdAt} problem={task.problems?.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Value value={task.updatedAt} problem={task.problems?.updatedAt} />
        </dd>
        <dt>Actions</dt>
        <dd>
          {task.availableActions.length ? task.availableActions.join(", ") : <span className="none">none now</span>}
        </dd>
        <dt>Version</dt>
        <dd>
          <Value value={task.version} />
        </dd>
        <dt>Description</dt>
        <dd>
          <Value value={task.description} />
        </dd>
      </dl>
      <h3>{VENDOR_LABELS[task.vendor]} fields</h3>
      <dl className="vendor-fields">
        {vendorFields.map(([field, value]) => (
          <div key={field}>
            <dt>{label(field)}</dt>
            <dd>
              <Value value={value} problem={task.problems?.[field]} />
            </dd>
          </div>
        ))}
      </dl>
      {"raw" in task && (
        <details>
          <summary>Vendor payload (raw)</summary>
          <pre>{JSON.stringify(task.raw, null, 2)}</pre>
        </details>
      )}
    </article>
  );
}
