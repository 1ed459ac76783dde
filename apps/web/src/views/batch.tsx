import type { TaskRef, TaskResult } from "@taskbridge/client";
import { type FormEvent, useId, useState } from "react";
import type { ViewProps } from "../app.tsx";
import { ErrorDetailPanel, ErrorPanel } from "../components/error-panel.tsx";
import { useRequest } from "../use-request.ts";
import { VENDOR_LABELS } from "../vendors.ts";
import { isVendor } from "./vendor-select.tsx";

/** "MAX_AI tsk_…" per line → refs, or the lines that are not. */
function parseRefs(text: string): { refs: TaskRef[]; invalid: string[] } {
  const refs: TaskRef[] = [];
  const invalid: string[] = [];
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (!line) continue;
    const [vendor, id, ...rest] = line.split(/\s+/);
    if (isVendor(vendor) && id && rest.length === 0) refs.push({ vendor, id });
    else invalid.push(line);
  }
  return { refs, invalid };
}

export function BatchView({ client, openTask }: ViewProps) {
  const [state, run] = useRequest<TaskResult[]>();
  const [invalid, setInvalid] = useState<string[]>([]);
  const textId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseRefs(String(new FormData(event.currentTarget).get("refs") ?? ""));
    setInvalid(parsed.invalid);
    if (parsed.invalid.length === 0 && parsed.refs.length > 0)
      run((signal) => client.getTasks(parsed.refs, { signal }));
  };
  return (
    <>
      <form className="card" onSubmit={submit}>
        <h2>Read several tasks</h2>
        <label htmlFor={textId}>One task per line: vendor and id (up to 100)</label>
        <textarea
          id={textId}
          name="refs"
          rows={6}
          required
          placeholder={"MAX_AI tsk_a1b2c3d456784abc9def0123456789ab\nCAPY 550e8400-e29b-41d4-a716-446655440000"}
        />
        <button type="submit">Read</button>
        {invalid.length > 0 && (
          <p role="alert" className="error">
            Not “VENDOR id” (vendors: {Object.keys(VENDOR_LABELS).join(", ")}): {invalid.join("; ")}
          </p>
        )}
      </form>
      {state.status === "loading" && <p aria-busy="true">Reading…</p>}
      {state.status === "failed" && <ErrorPanel error={state.error} />}
      {state.status === "done" && (
        <table className="card batch">
          <thead>
            <tr>
              <th>Vendor</th>
              <th>Id</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {state.value.map((item, index) => (
              // Refs may repeat: a result's position (one per ref, in order) is its identity.
              <tr key={index} data-testid="batch-item">
                <td>{VENDOR_LABELS[item.ref.vendor]}</td>
                <td>
                  <code>{item.ref.id}</code>
                </td>
                <td>
                  {item.error && <ErrorDetailPanel error={item.error} />}
                  {!item.error && !item.task && <span>Not found</span>}
                  {item.task && (
                    <button type="button" className="link" onClick={() => openTask(item.ref.vendor, item.ref.id)}>
                      {item.task.title ?? "(no title)"} · {item.task.status} · <code>{item.task.vendorStatus}</code>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
