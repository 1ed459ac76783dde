import { initContextCache } from "@pothos/core";
import { type AnyTask, type TaskSource, type Vendor, VendorNotConfiguredError } from "@taskbridge/model";
import type { IdempotencyOptions } from "./idempotency.ts";
import type { RequestLogger } from "./logger.ts";
import type { TenantSources } from "./sources.ts";

/** A tenant at run time: its clients were built once at startup. */
export interface Tenant {
  id: string;
  name: string;
  sources: TenantSources;
}

export interface TaskKey {
  vendor: Vendor;
  /** The vendor's id, as the caller gave it. */
  id: string;
}

/** Per request, and therefore per tenant: loaders and their caches can never serve another tenant. */
export interface GraphQLContext {
  requestId: string;
  tenant: Tenant;
  /** Aborts vendor calls when the caller goes away or the request's deadline passes (it carries that deadline). */
  signal: AbortSignal | undefined;
  /** Where createTask keeps its idempotency records (shared by every instance on one Redis). */
  idempotency: IdempotencyOptions | undefined;
  log: RequestLogger;
  /** Task reads of this request: the same vendor + id asked twice shares one vendor call. */
  tasks: TaskReads;
}

export function createContext(init: {
  requestId: string;
  tenant: Tenant;
  signal?: AbortSignal | undefined;
  log: RequestLogger;
  idempotency?: IdempotencyOptions | undefined;
}): GraphQLContext {
  const { tenant, signal } = init;
  return {
    // Pothos keeps its loaders in this cache; it must belong to this request's context object.
    ...initContextCache(),
    requestId: init.requestId,
    tenant,
    signal,
    idempotency: init.idempotency,
    log: init.log,
    tasks: new TaskReads(tenant, signal),
  };
}

/**
 * Remembers each read's promise for the rest of the request. No batching to wait for: every vendor reads one task
 * per call, so a read starts at once (a DataLoader per request cost its batch scheduling on every request).
 */
export class TaskReads {
  readonly #tenant: Tenant;
  readonly #signal: AbortSignal | undefined;
  #reads: Map<string, Promise<AnyTask | null>> | undefined;

  constructor(tenant: Tenant, signal: AbortSignal | undefined) {
    this.#tenant = tenant;
    this.#signal = signal;
  }

  load(key: TaskKey): Promise<AnyTask | null> {
    const cacheKey = `${key.vendor}:${key.id}`;
    this.#reads ??= new Map();
    let read = this.#reads.get(cacheKey);
    if (!read) {
      read = this.#read(key);
      this.#reads.set(cacheKey, read);
    }
    return read;
  }

  async #read(key: TaskKey): Promise<AnyTask | null> {
    return sourceFor(this.#tenant, key.vendor).getTask(key.id, { signal: this.#signal });
  }
}

/** The tenant's client for a vendor; VENDOR_NOT_CONFIGURED when the tenant has no connection to it. */
export function sourceFor<V extends Vendor>(tenant: Tenant, vendor: V): TaskSource<V> {
  const source = tenant.sources.get(vendor) as TaskSource<V> | undefined;
  if (!source) throw new VendorNotConfiguredError(vendor, `${vendor} is not configured for tenant ${tenant.id}`);
  return source;
}
