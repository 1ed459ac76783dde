import { FallbackStore, MemoryStore, OutboxStore, RedisStore, type SharedStore } from "@taskbridge/http";
import type { Logger } from "pino";

export interface AppStore {
  /** Rate budgets: Redis, or memory while Redis is unreachable. */
  store: SharedStore;
  /**
   * Idempotency records: Redis itself, so a keyed createTask is refused while Redis is unreachable (an outcome
   * Redis could not take is kept and delivered when it can); the same store as `store` (falling back to memory)
   * when the operator opted into local records.
   */
  idempotency: SharedStore;
  /** Why readiness is degraded, or undefined when the store works as configured. */
  degradedReason(): string | undefined;
  close(): Promise<void>;
}

export const REDIS_DOWN = "redis unreachable, using in-memory fallback";

/**
 * The shared state for rate budgets and idempotency records. With a Redis URL: Redis, with rate budgets behind a
 * FallbackStore that keeps serving from memory while Redis is unreachable (limits then hold per instance) and logs
 * each transition once; idempotency records stay in Redis only unless `localIdempotency` lets them fall back too.
 * Without: one in-memory store (a single instance, `npm start`). Records in memory are bounded by
 * `memoryRecordBytes` (MemoryStore's maxRecordBytes).
 */
export function createAppStore(options: {
  redisUrl?: string | undefined;
  logger: Logger;
  localIdempotency?: boolean | undefined;
  memoryRecordBytes?: number | undefined;
}): AppStore {
  const memory = () =>
    new MemoryStore(options.memoryRecordBytes === undefined ? {} : { maxRecordBytes: options.memoryRecordBytes });
  if (!options.redisUrl) {
    const store = memory();
    return { store, idempotency: store, degradedReason: () => undefined, close: () => store.close() };
  }
  const log = options.logger.child({ component: "store" });
  // The client reports a lost connection at once, and again on every reconnect that fails: a ping then shows the
  // outage in /readyz and the metrics of an idle instance too. The FallbackStore's transitions are what is logged.
  const primary = new RedisStore({ redis: options.redisUrl, onError: () => void store.ping().catch(() => undefined) });
  const store = new FallbackStore({
    primary,
    fallback: memory(),
    onChange: (degraded, error) => {
      if (degraded) {
        const reason = error instanceof Error ? error.message : String(error);
        const records = options.localIdempotency
          ? "idempotency records now hold per instance only"
          : "createTask with an idempotency key answers IDEMPOTENCY_UNAVAILABLE";
        log.warn({ reason }, `${REDIS_DOWN}: rate budgets now hold per instance only; ${records}`);
      } else log.warn("redis reachable again: shared rate budgets and idempotency records restored");
    },
  });
  // An outcome Redis cannot take at once (it failed between the claim and the answer) is delivered later.
  const outbox = new OutboxStore({
    primary,
    onChange: (event) => {
      if (event === "kept") log.warn("idempotency outcome kept in memory until redis takes it");
    },
    // The fallback's ping notices the outage (one warning, /readyz degraded) and probes until Redis is back.
    onPrimaryError: () => void store.ping().catch(() => undefined),
  });
  return {
    store,
    idempotency: options.localIdempotency ? store : outbox,
    degradedReason: () => (store.degraded ? REDIS_DOWN : undefined),
    close: async () => {
      await outbox.close();
      await store.close();
    },
  };
}
