/** Result of taking a slot in a shared sliding window. */
export interface RateWindowResult {
  allowed: boolean;
  /** 0 when allowed; otherwise milliseconds until the oldest hit leaves the window. */
  retryAfterMs: number;
  /** Slots left in the window once this call took its own. */
  remaining: number;
}

/** What `claim` found: the key was free (and is now ours), or someone's record for it. */
export type ClaimResult =
  | { state: "claimed" }
  | {
      state: "pending" | "done" | "failed";
      fingerprint: string;
      result?: unknown;
      /** Epoch ms when the key was claimed (store clock): tells a live claim from one whose owner died. */
      claimedAt?: number;
    };

/**
 * State shared between Taskbridge instances: rate budgets and idempotency records. Every method is atomic
 * for its key. MemoryStore serves one process; RedisStore serves many.
 */
export interface SharedStore {
  /**
   * Sliding window of `windowMs`: if fewer than `limit` hits are in it, records one and allows the call;
   * otherwise records nothing and says how long until a slot frees.
   */
  rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult>;
  /**
   * Claims `key` as pending for `ttlMs` if nobody holds it; otherwise returns the existing record. A store with a
   * bound on what it holds rejects a new key with StoreFullError rather than forget a record before its TTL.
   */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  /** Records the outcome (JSON-serialisable) of a claimed key for `ttlMs`. False when the claim had expired. */
  complete(key: string, result: unknown, ttlMs: number): Promise<boolean>;
  /** Like complete, for a definitive failure that must be answered the same way on replay. */
  fail(key: string, result: unknown, ttlMs: number): Promise<boolean>;
  /** Drops a claim (the work did not happen, so a later claim may try again). */
  release(key: string): Promise<void>;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A claim of a new key refused because the store holds as many idempotency records as it may: nothing was recorded.
 * Forgetting a live record instead would let a repeated write through.
 */
export class StoreFullError extends Error {
  /** The bound the records reached (MemoryStore: `maxRecordBytes`). */
  readonly limit: number;
  /** Until the oldest record expires and makes room, by the store's clock. */
  readonly retryAfterMs: number;
  constructor(limit: number, retryAfterMs: number) {
    super(`the store holds as many idempotency records as it may (${limit} bytes); room in ${retryAfterMs} ms`);
    this.name = "StoreFullError";
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
  }
}
