import {
  newIdempotencyKey,
  type Task,
  type TaskAction,
  type TaskbridgeClient,
  TaskbridgeError,
  type WriteOptions,
} from "@taskbridge/client";
import { type FormEvent, useId, useRef, useState } from "react";
import { type TextKind, typedText } from "../typed-text.ts";
import { VENDOR_LABELS } from "../vendors.ts";
import { ErrorPanel } from "./error-panel.tsx";

/** A value the action asks for before it is sent. */
interface ActionField {
  name: string;
  label: string;
  required: boolean;
  /** Text the vendor keeps (sent as typed, in a textarea) or an id (trimmed); a field with options sends one. */
  text?: TextKind;
  options?: readonly string[];
  hint?: string;
}

interface ActionSpec {
  label: string;
  /** The action under way, for "Stopping may have happened" when its answer was lost. */
  doing: string;
  /** Asked for in a small form; an action without fields is sent by its button. */
  fields: readonly ActionField[];
  send(
    client: TaskbridgeClient,
    task: Task,
    values: Record<string, string>,
    options: WriteOptions,
  ): Promise<Task | null>;
}

const ref = (task: Task) => ({ vendor: task.vendor, id: task.vendorId });
const ACTOR: ActionField = {
  name: "actorId",
  label: "Acting user id",
  required: false,
  text: "id",
  hint: "Who makes the change, where the vendor records it (Maxsight requires it).",
};

/** Every action the schema knows (a new one fails the typecheck here): its button, its form, its mutation. */
const ACTIONS: Record<TaskAction, ActionSpec> = {
  APPROVE: {
    label: "Approve",
    doing: "Approving",
    fields: [],
    send: (client, task, _, options) => client.approveTask(ref(task), options),
  },
  DECLINE: {
    label: "Decline",
    doing: "Declining",
    fields: [],
    send: (client, task, _, options) => client.declineTask(ref(task), options),
  },
  STOP: {
    label: "Stop",
    doing: "Stopping",
    fields: [],
    send: (client, task, _, options) => client.stopTask(ref(task), options),
  },
  MESSAGE: {
    label: "Message",
    doing: "Sending the message",
    fields: [{ name: "text", label: "Message", required: true, text: "kept" }],
    send: (client, task, { text = "" }, options) => client.messageTask({ ...ref(task), text }, options),
  },
  ASSIGN: {
    label: "Assign",
    doing: "Assigning",
    fields: [
      { name: "assigneeId", label: "Assignee id", required: true, text: "id" },
      { name: "kind", label: "Assignee kind", required: true, options: ["USER", "TEAM"] },
      ACTOR,
    ],
    send: (client, task, { assigneeId = "", kind, actorId }, options) =>
      client.assignTask(
        {
          ...ref(task),
          assignee: { id: assigneeId, kind: kind === "TEAM" ? "TEAM" : "USER" },
          expectedVersion: task.version ?? "",
          actorId: actorId || null,
        },
        options,
      ),
  },
  UNASSIGN: {
    label: "Unassign",
    doing: "Unassigning",
    fields: [ACTOR],
    send: (client, task, { actorId }, options) =>
      client.unassignTask({ ...ref(task), expectedVersion: task.version ?? "", actorId: actorId || null }, options),
  },
};

/**
 * The actions a task offers now (`availableActions`), as buttons; those that need input open a small form.
 * One logical action is sent once: a click while one is in flight is ignored, and every send of the same action
 * with the same input on the same task version carries the same idempotency key (a retry after an error too),
 * so the service answers a repeat with the first outcome instead of calling the vendor again. Once the task is
 * read again, a send is decided on the task as it is now: a new action, with a new key.
 */
export function TaskActions({
  client,
  task,
  onChange,
}: {
  client: TaskbridgeClient;
  task: Task;
  onChange(task: Task): void;
}) {
  const [open, setOpen] = useState<TaskAction | null>(null);
  const [busy, setBusy] = useState<TaskAction | null>(null);
  /** The last failure: of an action, or of reading the task again (`action` null). */
  const [error, setError] = useState<{ failure: unknown; action: TaskAction | null } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  /** Read again, the vendor had no such task: nothing can be done to it. */
  const [gone, setGone] = useState(false);
  const inFlight = useRef(false);
  const lastKey = useRef<{ signature: string; key: string } | null>(null);

  const keyFor = (signature: string) => {
    if (lastKey.current?.signature !== signature) lastKey.current = { signature, key: newIdempotencyKey() };
    return lastKey.current.key;
  };

  const run = async (action: TaskAction, values: Record<string, string>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(action);
    setError(null);
    setNote(null);
    const idempotencyKey = keyFor(JSON.stringify([action, task.id, task.version, values]));
    try {
      const after = await ACTIONS[action].send(client, task, values, { idempotencyKey });
      lastKey.current = null;
      setOpen(null);
      if (after) onChange(after);
      else setNote(`${ACTIONS[action].label}: done; the task could not be read again.`);
    } catch (failure) {
      setError({ failure, action });
    } finally {
      inFlight.current = false;
      setBusy(null);
    }
  };

  const reload = async () => {
    try {
      const current = await client.getTask(ref(task));
      lastKey.current = null;
      setError(null);
      if (current) onChange(current);
      else setGone(true);
    } catch (failure) {
      setError({ failure, action: null });
    }
  };

  if (gone) {
    return (
      <span className="none" data-testid="gone">
        {VENDOR_LABELS[task.vendor]} no longer has this task.
      </span>
    );
  }
  if (task.availableActions.length === 0) return <span className="none">No actions</span>;
  const failure = error?.failure;
  const conflict = failure instanceof TaskbridgeError && failure.code === "VENDOR_CONFLICT" ? failure : null;
  // The action's answer was lost: it may have happened, so the row may show a state the task has left. Nothing is
  // offered until the task is read again (the same key would only bring the same answer).
  const unsure = failure instanceof TaskbridgeError && failure.code === "IDEMPOTENCY_OUTCOME_UNKNOWN";
  const readAgain = (
    <button type="button" className="link" onClick={reload}>
      Read the task again
    </button>
  );
  return (
    <div className="task-actions">
      <div className="buttons">
        {task.availableActions.map((action) => (
          <button
            key={action}
            type="button"
            disabled={busy !== null || unsure}
            aria-expanded={ACTIONS[action].fields.length ? open === action : undefined}
            onClick={() => (ACTIONS[action].fields.length ? setOpen(open === action ? null : action) : run(action, {}))}
          >
            {busy === action ? `${ACTIONS[action].label}…` : ACTIONS[action].label}
          </button>
        ))}
      </div>
      {open && task.availableActions.includes(open) && (
        <ActionForm action={open} task={task} busy={busy !== null || unsure} onSubmit={(values) => run(open, values)} />
      )}
      {error && (
        <ErrorPanel
          error={failure}
          unknownOutcome={
            error.action ? `${ACTIONS[error.action].doing} may have happened: read the task again to see.` : undefined
          }
        />
      )}
      {conflict && (
        <p className="hint" data-testid="conflict">
          {conflict.currentVersion
            ? `The task changed since it was read: its version is now ${conflict.currentVersion} (this page has ${task.version}).`
            : "The task's state no longer allows this."}{" "}
          {readAgain}
        </p>
      )}
      {unsure && <p className="hint">{readAgain}</p>}
      {note && <p className="hint">{note}</p>}
    </div>
  );
}

function ActionForm({
  action,
  task,
  busy,
  onSubmit,
}: {
  action: TaskAction;
  task: Task;
  busy: boolean;
  onSubmit(values: Record<string, string>): void;
}) {
  const id = useId();
  const spec = ACTIONS[action];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit(
      Object.fromEntries(spec.fields.map((field) => [field.name, typedText(form.get(field.name), field.text ?? "id")])),
    );
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={`${spec.label} ${task.vendorId}`}>
      {spec.fields.map((field) => (
        <div className="field" key={field.name}>
          <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
          {field.options ? (
            <select id={`${id}-${field.name}`} name={field.name}>
              {field.options.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          ) : field.text === "kept" ? (
            <textarea id={`${id}-${field.name}`} name={field.name} required={field.required} rows={3} />
          ) : (
            <input id={`${id}-${field.name}`} name={field.name} required={field.required} />
          )}
          {field.hint && <small>{field.hint}</small>}
        </div>
      ))}
      {task.version !== null && (
        <small className="version">
          Sent under version <code>{task.version}</code>
        </small>
      )}
      <button type="submit" disabled={busy}>
        {`${spec.label} task`}
      </button>
    </form>
  );
}
