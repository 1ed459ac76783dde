import type { CreateTaskInput } from "./create-input.ts";
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

/** What a vendor client can do, so callers can ask before they try. */
export interface SourceCapabilities {
  createTask: boolean;
  /** The vendor can look up a person by id (Max AI providers, Cakewalk users). */
  personLookup: boolean;
  /** Kinds of assignee this vendor's tasks reference. Empty where tasks have no assignee (Capy). */
  assigneeKinds: readonly AssigneeKind[];
  /** Human-readable description of the id forms the client accepts, for error messages and docs. */
  idFormat: string;
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
}
