import { FallbackStore, MemoryStore, RedisStore, type SharedStore } from "@taskbridge/http";
import type { Logger } from "pino";

export interface AppStore {
  store: SharedStore;
  /** Why readiness is degraded, or undefined when the store works as configured. */
  degradedReason(): string | undefined;
  close(): Promise<void>;
}

export const REDIS_DOWN = "redis unreachable, using in-memory fallback";

/**
 * The shared state for rate budgets and idempotency records. With a Redis URL: Redis, behind a FallbackStore
 * that keeps serving from memory while Redis is unreachable (limits and idempotency then hold per instance) and
 * logs each transition once. Without: one in-memory store (a single instance, `npm start`).
 */
export function createAppStore(options: { redisUrl?: string | undefined; logger: Logger }): AppStore {
  if (!options.redisUrl) {
    const store = new MemoryStore();
    return { store, degradedReason: () => undefined, close: () => store.close() };
  }
  const log = options.logger.child({ component: "store" });
  // Connection errors repeat on every reconnect attempt; the FallbackStore's transitions say what matters.
  const primary = new RedisStore({ redis: options.redisUrl, onError: () => {} });
  const store = new FallbackStore({
    primary,
    onChange: (degraded, error) => {
      if (degraded) {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn({ reason }, `${REDIS_DOWN}: rate budgets and idempotency records now hold per instance only`);
      } else log.warn("redis reachable again: shared rate budgets and idempotency records restored");
    },
  });
  return { store, degradedReason: () => (store.degraded ? REDIS_DOWN : undefined), close: () => store.close() };
}
