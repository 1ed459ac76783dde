import { initContextCache } from "@pothos/core";
import {
  type AnyTask,
  fieldViolation,
  type TaskSource,
  type Vendor,
  VendorNotConfiguredError,
} from "@taskbridge/model";
import type { RequestBudget } from "./budget.ts";
import type { IdempotencyOptions } from "./idempotency.ts";
import type { InFlightWrites } from "./in-flight-writes.ts";
import type { ListCursors } from "./list-cursor.ts";
import type { RequestLogger } from "./logger.ts";
import type { TenantSources } from "./sources.ts";

/** A tenant at run time: its clients were built once at startup. */
export interface Tenant {
  id: string;
  name: string;
  sources: TenantSources;
  /** The vendors the tenant has a connection to. */
  vendors: readonly Vendor[];
  /** Requests per window Taskbridge lets the tenant's connection to a vendor make, when it has a limit. */
  rateLimit(vendor: Vendor): number | undefined;
  /** The configured scope of a task listing of a vendor (its connection's `listScope`), if any. */
  listScope(vendor: Vendor): string | undefined;
}

export interface TaskKey {
  vendor: Vendor;
  /** The vendor's id, as the caller gave it. */
  id: string;
}

/** What the HTTP adapter knows of an authenticated request: the pipeline's initial context. */
export interface RequestScope {
  requestId: string;
  tenant: Tenant;
  /** The request's deadline: aborts when it passes or the client goes away; vendor calls, retries and waits end by it. */
  signal: AbortSignal;
  /** What a write is sent with: the same deadline, and a write already sent outlives its caller (see writeSignal()). */
  writeSignal(): AbortSignal;
  log: RequestLogger;
  /** The vendor calls the request may still make (shared by a batch's operations). */
  budget: RequestBudget;
}

/** Per request, and therefore per tenant: loaders and their caches can never serve another tenant. */
export interface GraphQLContext {
  requestId: string;
  tenant: Tenant;
  /** Aborts vendor calls when the caller goes away or the request's deadline passes (it carries that deadline). */
  signal: AbortSignal | undefined;
  /** The signal a write (createTask, a task action) is sent with: only the deadline ends one under way. */
  writeSignal(): AbortSignal | undefined;
  /** Where keyed writes (createTask, task actions) keep their idempotency records (shared by every instance on one Redis). */
  idempotency: IdempotencyOptions | undefined;
  /** The process's writes under way, which a shutdown waits for. */
  writes: InFlightWrites;
  /** Signs and reads task-listing cursors. */
  cursors: ListCursors;
  log: RequestLogger;
  budget: RequestBudget;
  /** Task reads of this request: the same vendor + id asked twice shares one vendor call. */
  tasks: TaskReads;
}

export function createContext(
  init: RequestScope & { idempotency?: IdempotencyOptions | undefined; cursors: ListCursors; writes: InFlightWrites },
): GraphQLContext {
  const { tenant, signal, budget } = init;
  return {
    // Pothos keeps its loaders in this cache; it must belong to this request's context object.
    ...initContextCache(),
    requestId: init.requestId,
    tenant,
    signal,
    writeSignal: init.writeSignal,
    idempotency: init.idempotency,
    writes: init.writes,
    cursors: init.cursors,
    log: init.log,
    budget,
    tasks: new TaskReads(tenant, signal, budget),
  };
}

/**
 * Remembers each read's promise for the rest of the request. No batching to wait for: every vendor reads one task
 * per call, so a read starts at once (a DataLoader would only add its batch scheduling to every request).
 * Only the task asked for is kept under its key: a source's getTask throws VendorContractViolationError (field `id`)
 * for an answer about another task, and a task of another vendor is refused here; either way the key keeps the
 * error, never a task that is not the one asked for.
 */
export class TaskReads {
  readonly #tenant: Tenant;
  readonly #signal: AbortSignal | undefined;
  readonly #budget: RequestBudget;
  #reads: Map<string, Promise<AnyTask | null>> | undefined;

  constructor(tenant: Tenant, signal: AbortSignal | undefined, budget: RequestBudget) {
    this.#tenant = tenant;
    this.#signal = signal;
    this.#budget = budget;
  }

  load(key: TaskKey): Promise<AnyTask | null> {
    const cacheKey = readKey(key.vendor, key.id);
    this.#reads ??= new Map();
    let read = this.#reads.get(cacheKey);
    if (!read) {
      read = this.#read(key);
      this.#reads.set(cacheKey, read);
    }
    return read;
  }

  async #read(key: TaskKey): Promise<AnyTask | null> {
    const source = sourceFor(this.#tenant, key.vendor);
    const task = await this.#budget.call(key.vendor, () => source.getTask(key.id, { signal: this.#signal }));
    if (task && task.vendor !== key.vendor) throw fieldViolation(key.vendor, "vendor", "not the vendor asked");
    return task;
  }
}

/** One task read per request and key: the loader's cache key, and the vendor-call plan's. */
export function readKey(vendor: Vendor, id: string): string {
  return `${vendor}:${id}`;
}

/** The tenant's client for a vendor; VENDOR_NOT_CONFIGURED when the tenant has no connection to it. */
export function sourceFor<V extends Vendor>(tenant: Tenant, vendor: V): TaskSource<V> {
  const source = tenant.sources.get(vendor) as TaskSource<V> | undefined;
  if (!source) throw new VendorNotConfiguredError(vendor, `${vendor} is not configured for tenant ${tenant.id}`);
  return source;
}
