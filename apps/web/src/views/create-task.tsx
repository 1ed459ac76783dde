import {
  type CreateTaskInput,
  createTaskInputs,
  type InputFieldSpec,
  newIdempotencyKey,
  type Task,
  TaskbridgeError,
  type Vendor,
} from "@taskbridge/client";
import { type FormEvent, useId, useRef, useState } from "react";
import type { ViewProps } from "../app.tsx";
import { ErrorPanel } from "../components/error-panel.tsx";
import { textKindOf, typedList, typedText } from "../typed-text.ts";
import { VENDOR_LABELS } from "../vendors.ts";
import { isVendor } from "./vendor-select.tsx";

type Branch = keyof typeof createTaskInputs;

/** `maxAi` → `MAX_AI`: a CreateTaskInput branch is named after its vendor. */
function vendorOf(branch: Branch): Vendor {
  const vendor = branch.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  if (!isVendor(vendor)) throw new Error(`CreateTaskInput.${branch} names no vendor`);
  return vendor;
}

const BRANCHES = Object.keys(createTaskInputs) as Branch[];
const label = (field: string) => field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/**
 * The form's value for one field as the input type wants it; undefined leaves an optional field out. Text is sent
 * as typed unless the field's description says the service trims it (an id): see typed-text.ts.
 */
function fieldValue(field: InputFieldSpec, form: FormData): unknown {
  const raw = form.get(field.name);
  if (field.type === "Boolean") return raw === "on" ? true : field.required ? false : undefined;
  if (field.list) {
    const items = typedList(raw, textKindOf(field));
    return items.length || field.required ? items : undefined;
  }
  if (field.type === "Int" || field.type === "Float") return typeof raw === "string" && raw ? Number(raw) : undefined;
  const text = typedText(raw, textKindOf(field));
  return text === "" ? undefined : text;
}

/** Text the vendor keeps goes in a textarea: a prompt may run to several lines, indented, as typed. */
function FieldInput({ field }: { field: InputFieldSpec }) {
  const id = useId();
  const common = { id, name: field.name, required: field.required };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label(field.name)}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {field.type === "Boolean" ? (
        <input type="checkbox" {...common} />
      ) : field.list ? (
        <textarea rows={2} placeholder="one per line" {...common} />
      ) : field.type === "Int" || field.type === "Float" ? (
        <input type="number" {...common} />
      ) : textKindOf(field) === "kept" ? (
        <textarea rows={3} {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {field.description && <small>{field.description}</small>}
    </div>
  );
}

/**
 * A form per CreateTaskInput branch, built from the schema's input fields. A submit creates one task even when
 * clicked twice: the second click is ignored while the first is in flight, and both would carry the same
 * idempotency key, which changes only when the form does or a task was created. After a lost answer the task may
 * exist and that key only brings the same answer: the person looks for it, then may create it anyway (a new key).
 */
export function CreateTaskView({ client, openTask }: ViewProps) {
  const [branch, setBranch] = useState<Branch>(BRANCHES[0] as Branch);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<Task[]>([]);
  const inFlight = useRef(false);
  const draftKey = useRef(newIdempotencyKey());
  const form = useRef<HTMLFormElement>(null);
  const branchId = useId();
  const spec = createTaskInputs[branch];
  const fields: InputFieldSpec[] = [...spec.fields].sort((a, b) => Number(b.required) - Number(a.required));
  const vendor = VENDOR_LABELS[vendorOf(branch)];
  // The vendor may have created the task: the same form again would only bring the same answer.
  const unsure = error instanceof TaskbridgeError && error.code === "IDEMPOTENCY_OUTCOME_UNKNOWN";

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const values = Object.fromEntries(
      fields.flatMap((field) => {
        const value = fieldValue(field, form);
        return value === undefined ? [] : [[field.name, value]];
      }),
    );
    try {
      // The form is built from the same input type the mutation takes.
      const task = await client.createTask({ [branch]: values } as CreateTaskInput, {
        idempotencyKey: draftKey.current,
      });
      setCreated((tasks) => [task, ...tasks]);
      draftKey.current = newIdempotencyKey();
    } catch (failure) {
      setError(failure);
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  /** The person looked and found no task: the form as it is now, as a new create with a key of its own. */
  const createAnyway = () => {
    if (inFlight.current) return;
    draftKey.current = newIdempotencyKey();
    form.current?.requestSubmit();
  };

  return (
    <>
      <form
        ref={form}
        className="card create"
        onSubmit={submit}
        onChange={() => {
          draftKey.current = newIdempotencyKey();
        }}
        key={branch}
      >
        <h2>Create a task</h2>
        <label htmlFor={branchId}>Vendor</label>
        <select
          id={branchId}
          value={branch}
          onChange={(event) => {
            setBranch(event.target.value as Branch);
            setError(null);
          }}
        >
          {BRANCHES.map((b) => (
            <option key={b} value={b}>
              {VENDOR_LABELS[vendorOf(b)]}
            </option>
          ))}
        </select>
        {spec.description && <p className="hint">{spec.description}</p>}
        {fields.map((field) => (
          <FieldInput key={field.name} field={field} />
        ))}
        <button type="submit" disabled={busy || unsure}>
          {busy ? "Creating…" : `Create ${vendor} task`}
        </button>
      </form>
      {error !== null && (
        <ErrorPanel
          error={error}
          unknownOutcome={`${vendor} may have created the task: look for it there before creating it again.`}
        />
      )}
      {unsure && (
        <p className="hint">
          Not there?{" "}
          <button type="button" className="link" onClick={createAnyway}>
            Create it anyway
          </button>
        </p>
      )}
      {created.length > 0 && (
        <section className="card">
          <h2>Created</h2>
          <ul>
            {created.map((task) => (
              <li key={task.id} data-testid="created-task">
                <button type="button" className="link" onClick={() => openTask(task.vendor, task.vendorId)}>
                  {VENDOR_LABELS[task.vendor]} · {task.title ?? "(no title)"} · <code>{task.vendorId}</code>
                </button>{" "}
                <span className="status">{task.status}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
