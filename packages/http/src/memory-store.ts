import type { ClaimResult, RateWindowResult, SharedStore } from "./store.ts";

interface IdempotencyRecord {
  state: "pending" | "done" | "failed";
  fingerprint: string;
  /** Stored as JSON so callers see the same copies a RedisStore would give them. */
  result: string | undefined;
  claimedAt: number;
  expiresAt: number;
}

/** The single-process SharedStore (the default). Expired entries are dropped when touched and by periodic sweeps. */
export class MemoryStore implements SharedStore {
  readonly #now: () => number;
  readonly #windows = new Map<string, { hits: number[]; windowMs: number }>();
  readonly #records = new Map<string, IdempotencyRecord>();
  #operations = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    const now = this.#now();
    this.#sweep(now);
    const hits = (this.#windows.get(key)?.hits ?? []).filter((at) => at > now - windowMs);
    if (hits.length < limit) {
      hits.push(now);
      this.#windows.set(key, { hits, windowMs });
      return { allowed: true, retryAfterMs: 0, remaining: limit - hits.length };
    }
    this.#windows.set(key, { hits, windowMs });
    const oldest = hits[0] ?? now;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - now), remaining: 0 };
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    const now = this.#now();
    this.#sweep(now);
    const record = this.#live(key, now);
    if (record) {
      const found: ClaimResult = { state: record.state, fingerprint: record.fingerprint, claimedAt: record.claimedAt };
      if (record.result !== undefined) found.result = JSON.parse(record.result);
      return found;
    }
    this.#records.set(key, {
      state: "pending",
      fingerprint,
      result: undefined,
      claimedAt: now,
      expiresAt: now + ttlMs,
    });
    return { state: "claimed" };
  }

  complete(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "done", result, ttlMs);
  }

  fail(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "failed", result, ttlMs);
  }

  async release(key: string): Promise<void> {
    this.#records.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#windows.clear();
    this.#records.clear();
  }

  async #finish(key: string, state: "done" | "failed", result: unknown, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const record = this.#live(key, now);
    if (!record) return false;
    const json = result === undefined ? undefined : JSON.stringify(result);
    this.#records.set(key, { ...record, state, result: json, expiresAt: now + ttlMs });
    return true;
  }

  #live(key: string, now: number): IdempotencyRecord | undefined {
    const record = this.#records.get(key);
    if (record && record.expiresAt <= now) {
      this.#records.delete(key);
      return undefined;
    }
    return record;
  }

  /** Every 1000 operations, drops expired records and windows that no longer hold any hit. */
  #sweep(now: number): void {
    this.#operations += 1;
    if (this.#operations % 1000 !== 0) return;
    for (const [key, record] of this.#records) if (record.expiresAt <= now) this.#records.delete(key);
    for (const [key, { hits, windowMs }] of this.#windows) {
      if ((hits.at(-1) ?? 0) <= now - windowMs) this.#windows.delete(key);
    }
  }
}
