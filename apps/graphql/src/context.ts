import { initContextCache } from "@pothos/core";
import { type Task, type TaskSource, type Vendor, VendorNotConfiguredError } from "@taskbridge/model";
import DataLoader from "dataloader";
import type { Logger } from "pino";
import type { IdempotencyOptions } from "./idempotency.ts";
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
  log: Logger;
  /** Dedupes task reads within the request (same vendor + id → one call). */
  tasks: DataLoader<TaskKey, Task | null, string>;
}

export function createContext(init: {
  requestId: string;
  tenant: Tenant;
  signal?: AbortSignal | undefined;
  log: Logger;
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
    tasks: new DataLoader<TaskKey, Task | null, string>(
      (keys) =>
        Promise.all(
          keys.map((key) =>
            Promise.resolve()
              .then(() => sourceFor(tenant, key.vendor).getTask(key.id, { signal }))
              .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
          ),
        ),
      { cacheKeyFn: (key) => `${key.vendor}:${key.id}` },
    ),
  };
}

/** The tenant's client for a vendor; VENDOR_NOT_CONFIGURED when the tenant has no connection to it. */
export function sourceFor<V extends Vendor>(tenant: Tenant, vendor: V): TaskSource<V> {
  const source = tenant.sources[vendor] as TaskSource<V> | undefined;
  if (!source) throw new VendorNotConfiguredError(vendor, `${vendor} is not configured for tenant ${tenant.id}`);
  return source;
}
