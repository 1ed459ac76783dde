import { createHash } from "node:crypto";
import {
  type CircuitBreakerOptions,
  type CircuitState,
  type Policy,
  reliabilityPolicies,
  type SharedStore,
} from "@taskbridge/http";
import type { Vendor } from "@taskbridge/model";
import type { Logger } from "pino";
import type { Connections, ResolvedTenant } from "./tenants.ts";
import { servedVendor } from "./vendor-lookup.ts";

export interface ReliabilitySettings {
  /** Where rate budgets live; shared by every instance when it is Redis. */
  store: SharedStore;
  logger: Logger;
  /** Overrides of the breaker defaults (tests use short cooldowns). */
  circuitBreaker?: CircuitBreakerOptions;
  /** Hears every breaker transition (metrics). */
  onBreakerChange?(tenantId: string, vendor: Vendor, state: CircuitState): void;
}

/** The credential whose vendor-side limit a connection spends: the value of its descriptor's `credential` field. */
export function connectionCredential(vendor: Vendor, connections: Connections): string | undefined {
  const field = servedVendor(vendor)?.credential;
  const value = field === undefined ? undefined : connections[vendor]?.[field];
  return typeof value === "string" ? value : undefined;
}

/** The rate limit Taskbridge keeps a connection's credential under: configured, else the vendor's published one. */
export function connectionRateLimit(
  connections: Connections,
  vendor: Vendor,
): { limit: number; windowMs: number } | undefined {
  const configured = connections[vendor]?.rateLimit;
  // A connection's own setting wins; otherwise the limit the vendor publishes, if any.
  return configured === false ? undefined : (configured ?? servedVendor(vendor)?.rateLimit ?? undefined);
}

/**
 * The budget's store key: every tenant and every instance using the same credential spends one budget, and the
 * key names the credential only by its SHA-256, so Redis never holds it.
 */
export function budgetKey(vendor: Vendor, credential: string): string {
  return `${vendor}:${createHash("sha256").update(credential, "utf8").digest("hex")}`;
}

/**
 * The `policies(tenantId, vendor)` seam of createTenantSources: retry → circuit breaker → vendor pause → rate
 * budget, built once per vendor connection (the breaker and the pause hold that connection's state).
 */
export function connectionPolicies(
  tenants: readonly ResolvedTenant[],
  settings: ReliabilitySettings,
): (tenantId: string, vendor: Vendor) => Policy[] {
  return (tenantId, vendor) => {
    const tenant = tenants.find((t) => t.id === tenantId);
    const credential = tenant ? connectionCredential(vendor, tenant.connections) : undefined;
    const limit = tenant ? connectionRateLimit(tenant.connections, vendor) : undefined;
    const log = settings.logger.child({ component: "reliability", tenant: tenantId, vendor });
    return reliabilityPolicies({
      circuitBreaker: {
        ...settings.circuitBreaker,
        onStateChange: (state) => {
          settings.onBreakerChange?.(tenantId, vendor, state);
          if (state === "open") log.warn({ circuit: state }, "circuit breaker opened: failing fast");
          else log.info({ circuit: state }, `circuit breaker ${state}`);
        },
      },
      ...(limit && credential
        ? {
            rateBudget: {
              store: settings.store,
              key: budgetKey(vendor, credential),
              limit: limit.limit,
              windowMs: limit.windowMs,
              // Longest wait for a slot before RATE_LIMITED limitedBy "taskbridge".
              maxWaitMs: 1_000,
              onStoreError: (error: unknown) =>
                log.warn({ err: describe(error) }, "rate budget store failed; call sent without a budget slot"),
            },
          }
        : {}),
    });
  };
}

function describe(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}
