import type { CallInstrumentation, HttpLogger, Policy } from "@taskbridge/http";
import type { TaskSource, Vendor } from "@taskbridge/model";
import { type Connections, secretValues } from "./tenants.ts";
import { VENDORS } from "./vendors.ts";

export type ClosableSource<V extends Vendor = Vendor> = TaskSource<V> & { close(): Promise<void> };
/** A tenant's clients, by vendor id. */
export type TenantSources = ReadonlyMap<Vendor, ClosableSource>;

export interface SourceOptions {
  /** Reliability policies (rate budget, breaker, retries) for one vendor connection of one tenant; none by default. */
  policies?: (tenantId: string, vendor: Vendor) => readonly Policy[];
  /** Where one connection's transport logs its failed exchanges (and every exchange at debug); nowhere by default. */
  logger?: (tenantId: string, vendor: Vendor) => HttpLogger;
  /** Metrics and traces of each vendor call of one connection; none by default. */
  instrumentation?: (tenantId: string, vendor: Vendor) => CallInstrumentation | undefined;
  /**
   * Wraps each client once at startup (instrumentation, caching, or a test that needs a vendor which sends
   * assignee ids without the people). Must return an object for the same vendor.
   */
  decorate?: <V extends Vendor>(tenantId: string, source: ClosableSource<V>) => ClosableSource<V>;
}

/**
 * Builds one client per configured vendor connection of a tenant, through the registry's descriptors. Called once
 * per tenant at startup: clients own connection pools, so requests never create them.
 */
export function createTenantSources(tenantId: string, connections: Connections, options: SourceOptions = {}) {
  const sources = new Map<Vendor, ClosableSource>();
  for (const vendor of VENDORS) {
    const connection = connections[vendor.id];
    if (!connection) continue;
    const { http: own, rateLimit: _budget, listScope: _scope, ...config } = connection;
    const instrumentation = options.instrumentation?.(tenantId, vendor.id);
    const logger = options.logger?.(tenantId, vendor.id);
    const http = {
      ...(own?.timeouts ? { timeouts: own.timeouts } : {}),
      ...(own?.connections ? { connections: own.connections } : {}),
      ...(instrumentation ? { instrumentation } : {}),
      ...(logger ? { logger } : {}),
      policies: options.policies?.(tenantId, vendor.id) ?? [],
      // The transport takes them out of everything the vendor answers, whatever header or field carries them.
      secrets: secretValues(vendor, connection),
    };
    const source = vendor.createClient({ ...config, http });
    sources.set(vendor.id, options.decorate ? options.decorate(tenantId, source) : source);
  }
  return { sources: sources as TenantSources, close: () => closeAll(sources) };
}

async function closeAll(sources: TenantSources): Promise<void> {
  await Promise.allSettled([...sources.values()].map((source) => source.close()));
}
