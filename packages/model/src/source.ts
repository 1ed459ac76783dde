import type { ActionOutcome, TaskAction, TaskActionKind } from "./actions.ts";
import type { CreateTaskInput } from "./create-input.ts";
import type { ListCapabilities, ListTasksQuery, TaskPage } from "./list.ts";
import type { AssigneeKind, Person } from "./person.ts";
import type { TaskOf } from "./task.ts";
import type { Vendor } from "./vendor.ts";

export interface CallOptions {
  /** Aborts the call, e.g. when the GraphQL request is cancelled or its overall deadline passes. */
  signal?: AbortSignal | undefined;
  /**
   * The caller's key for one intended write. The transport retries a write only where the vendor itself honours
   * such a key (none of ours does); otherwise it only labels the call.
   */
  idempotencyKey?: string | undefined;
}

/**
 * What an id names, for `TaskSource.canonicalId`: a task; a person or team (an assignee, an actor, a Max AI
 * provider); a Max AI note; a Capy project.
 */
export type IdKind = "task" | "person" | "note" | "project";

/** What a vendor client can do, so callers can ask before they try. */
export interface SourceCapabilities {
  createTask: boolean;
  /** The vendor can look up a person by id (Max AI providers, Cakewalk users). */
  personLookup: boolean;
  /** Kinds of assignee this vendor's tasks reference. Empty where tasks have no assignee (Capy). */
  assigneeKinds: readonly AssigneeKind[];
  /** Human-readable description of the id forms the client accepts, for error messages and docs. */
  idFormat: string;
  /** How `listTasks` pages and filters for this vendor; null where the vendor cannot list (no `listTasks`). */
  list: ListCapabilities | null;
  /** The action kinds the vendor offers (empty: none). `availableActions(task)` narrows them to a task's state. */
  actions: readonly TaskActionKind[];
}

/**
 * What every vendor client implements. Ids are validated before any call; a malformed id throws
 * InvalidInputError. Failures throw VendorError subclasses.
 */
export interface TaskSource<V extends Vendor = Vendor> {
  readonly vendor: V;
  readonly capabilities: SourceCapabilities;
  /** The task, or null when the vendor says it does not exist. */
  getTask(id: string, options?: CallOptions): Promise<TaskOf<V> | null>;
  /** Present only where `capabilities.createTask`. */
  createTask?(input: Extract<CreateTaskInput, { vendor: V }>, options?: CallOptions): Promise<TaskOf<V>>;
  /** Present only where `capabilities.personLookup`. Null when the vendor says the person does not exist. */
  getPerson?(id: string, options?: CallOptions): Promise<Person | null>;
  /**
   * One page of tasks in the vendor's order (`capabilities.list` says which filters the vendor applies, the order,
   * the page size and the scope a listing needs). A bad query throws InvalidInputError before any call.
   */
  listTasks?(query: ListTasksQuery, options?: CallOptions): Promise<TaskPage<TaskOf<V>>>;
  /**
   * Performs one action (a kind in `capabilities.actions`). Sent once, never retried: no vendor deduplicates
   * actions. Throws what the vendor refuses (VendorConflictError for a state or version conflict).
   */
  performAction?(id: string, action: TaskAction, options?: CallOptions): Promise<ActionOutcome<TaskOf<V>>>;
  /** The action kinds the task's current state allows. Pure: no call. */
  availableActions?(task: TaskOf<V>): TaskActionKind[];
  /**
   * An id of `kind` as this vendor's calls send it (lower case; Max AI's v4 dialect), so every spelling the client
   * accepts of one id is one string: what idempotency fingerprints compare. An id it cannot read comes back as given
   * (the call refuses it). Pure: no call.
   */
  canonicalId?(id: string, kind: IdKind): string;
}
