import { type ClaimResult, type RateWindowResult, type SharedStore, StoreFullError } from "./store.ts";

interface IdempotencyRecord {
  state: "pending" | "done" | "failed";
  fingerprint: string;
  /** Stored as JSON so callers see the same copies a RedisStore would give them. */
  result: string | undefined;
  claimedAt: number;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  now?: () => number;
  /**
   * Most bytes idempotency records may take (default 256 MiB): their keys', fingerprints' and results' JSON text, plus
   * what each record costs besides. A new key past it is refused with StoreFullError; a claimed key's outcome is
   * always recorded (its write happened), so the records may pass it by the outcomes of writes in flight.
   */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** What V8 holds for one record besides its text: the record object, its Map entry, the strings' headers. */
const RECORD_OVERHEAD_BYTES = 330;

/**
 * The single-process SharedStore (the default). Idempotency records expire by `now` as Redis's do, and are bounded by
 * `maxRecordBytes`. Rate windows hold at most `limit` hits each; the ones left empty are dropped by periodic sweeps.
 */
export class MemoryStore implements SharedStore {
  readonly #now: () => number;
  readonly #maxRecordBytes: number;
  readonly #windows = new Map<string, { hits: number[]; windowMs: number }>();
  /**
   * In the order they were written, which is the order they expire in when every write gives the same TTL (the
   * service's do): expired records are then all at the front. Each write moves its record to the end.
   */
  readonly #records = new Map<string, IdempotencyRecord>();
  #recordBytes = 0;
  #operations = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Idempotency records held, expired ones not dropped yet included. */
  get records(): number {
    return this.#records.size;
  }

  /** What the records take, counted as `maxRecordBytes` counts it. */
  get recordBytes(): number {
    return this.#recordBytes;
  }

  async rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    const now = this.#now();
    this.#sweepWindows(now);
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
    this.#expire(now);
    const record = this.#live(key, now);
    if (record) {
      const found: ClaimResult = { state: record.state, fingerprint: record.fingerprint, claimedAt: record.claimedAt };
      if (record.result !== undefined) found.result = JSON.parse(record.result);
      return found;
    }
    if (this.#recordBytes >= this.#maxRecordBytes) {
      const oldest = this.#records.values().next().value;
      throw new StoreFullError(this.#maxRecordBytes, Math.max(1, (oldest?.expiresAt ?? now) - now));
    }
    this.#write(key, { state: "pending", fingerprint, result: undefined, claimedAt: now, expiresAt: now + ttlMs });
    return { state: "claimed" };
  }

  complete(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "done", result, ttlMs);
  }

  fail(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#finish(key, "failed", result, ttlMs);
  }

  async release(key: string): Promise<void> {
    this.#drop(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.#windows.clear();
    this.#records.clear();
    this.#recordBytes = 0;
  }

  async #finish(key: string, state: "done" | "failed", result: unknown, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const record = this.#live(key, now);
    if (!record) return false;
    const json = result === undefined ? undefined : JSON.stringify(result);
    this.#write(key, { ...record, state, result: json, expiresAt: now + ttlMs });
    return true;
  }

  #live(key: string, now: number): IdempotencyRecord | undefined {
    const record = this.#records.get(key);
    if (record && record.expiresAt <= now) {
      this.#drop(key);
      return undefined;
    }
    return record;
  }

  /** Drops the expired records at the front; a record with a longer TTL before them holds them until it expires. */
  #expire(now: number): void {
    for (const [key, record] of this.#records) {
      if (record.expiresAt > now) return;
      this.#drop(key);
    }
  }

  #write(key: string, record: IdempotencyRecord): void {
    this.#drop(key);
    this.#records.set(key, record);
    this.#recordBytes += bytesOf(key, record);
  }

  #drop(key: string): void {
    const record = this.#records.get(key);
    if (!record) return;
    this.#records.delete(key);
    this.#recordBytes -= bytesOf(key, record);
  }

  /** Every 1000 operations, drops windows that no longer hold any hit. */
  #sweepWindows(now: number): void {
    this.#operations += 1;
    if (this.#operations % 1000 !== 0) return;
    for (const [key, { hits, windowMs }] of this.#windows) {
      if ((hits.at(-1) ?? 0) <= now - windowMs) this.#windows.delete(key);
    }
  }
}

/** String lengths: V8 keeps ASCII text (keys, hex fingerprints, most JSON) in one byte a character. */
function bytesOf(key: string, record: IdempotencyRecord): number {
  return RECORD_OVERHEAD_BYTES + key.length + record.fingerprint.length + (record.result?.length ?? 0);
}
