import type { ClaimResult, RateWindowResult, SharedStore } from "./store.ts";

export interface OutboxStoreOptions {
  /** The store that must eventually hold every outcome (Redis). */
  primary: SharedStore;
  /** First wait before delivering again; doubles up to maxRetryMs (default 200). */
  retryMs?: number;
  /** Longest wait between deliveries (default 5000). */
  maxRetryMs?: number;
  /**
   * Outcomes kept at most before new claims are refused (default 10,000): a primary that takes claims but not
   * outcomes would otherwise grow them with every keyed write. Writes already claimed still keep theirs.
   */
  maxKept?: number;
  /** Called when an outcome could not be written at once, and when a kept one is delivered. */
  onChange?(event: "kept" | "delivered", key: string): void;
  /** Called when the primary fails a claim or an outcome (e.g. to let a health check notice). */
  onPrimaryError?(error: unknown): void;
}

type Outcome =
  | { kind: "complete" | "fail"; result: unknown; ttlMs: number; fingerprint: string | undefined }
  | { kind: "release"; fingerprint: string | undefined };

/**
 * Idempotency outcomes that lose nothing when the primary fails between a claim and its outcome: a complete, fail
 * or release the primary cannot take now is kept in this process and delivered again (backing off) until it
 * takes it, so a created task's record does not stay pending. A claim on a key with a kept outcome delivers it
 * first; while it cannot, a kept complete or fail answers the claim (this instance knows the outcome) and a kept
 * release fails the claim as the primary did. While maxKept outcomes wait, a claim of any other key is refused
 * without asking the primary. Everything else passes straight through. close() stops delivering; the primary stays
 * the caller's.
 */
export class OutboxStore implements SharedStore {
  readonly #primary: SharedStore;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #maxKept: number;
  readonly #onChange: OutboxStoreOptions["onChange"];
  readonly #onPrimaryError: OutboxStoreOptions["onPrimaryError"];
  /** Fingerprints of the keys this instance claimed and has not settled yet. */
  readonly #claimed = new Map<string, string>();
  readonly #kept = new Map<string, Outcome>();
  #timer: NodeJS.Timeout | undefined;
  #waitMs: number;
  #closed = false;

  constructor(options: OutboxStoreOptions) {
    this.#primary = options.primary;
    this.#retryMs = options.retryMs ?? 200;
    this.#maxRetryMs = options.maxRetryMs ?? 5_000;
    this.#maxKept = options.maxKept ?? 10_000;
    this.#waitMs = this.#retryMs;
    this.#onChange = options.onChange;
    this.#onPrimaryError = options.onPrimaryError;
  }

  /** Outcomes waiting for the primary. */
  get pending(): number {
    return this.#kept.size;
  }

  rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    return this.#primary.rateWindow(key, limit, windowMs);
  }

  async claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    const kept = this.#kept.get(key);
    if (kept) {
      try {
        await this.#deliver(key, kept);
      } catch (error) {
        if (kept.kind === "release") throw error;
        const found: ClaimResult = {
          state: kept.kind === "complete" ? "done" : "failed",
          fingerprint: kept.fingerprint ?? "",
        };
        if (kept.result !== undefined) found.result = JSON.parse(JSON.stringify(kept.result));
        return found;
      }
    }
    if (this.#kept.size >= this.#maxKept) {
      throw new Error(
        `${this.#kept.size} idempotency outcomes are waiting for the primary; no new claim until they are delivered`,
      );
    }
    const found = await this.#primary.claim(key, fingerprint, ttlMs).catch((error: unknown) => {
      this.#onPrimaryError?.(error);
      throw error;
    });
    if (found.state === "claimed") this.#claimed.set(key, fingerprint);
    return found;
  }

  complete(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#settle(key, { kind: "complete", result, ttlMs, fingerprint: this.#claimed.get(key) });
  }

  fail(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#settle(key, { kind: "fail", result, ttlMs, fingerprint: this.#claimed.get(key) });
  }

  async release(key: string): Promise<void> {
    await this.#settle(key, { kind: "release", fingerprint: this.#claimed.get(key) });
  }

  ping(): Promise<void> {
    return this.#primary.ping();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  /** Writes an outcome now, or keeps it for later; true unless the primary says the claim had expired. */
  async #settle(key: string, outcome: Outcome): Promise<boolean> {
    this.#claimed.delete(key);
    try {
      return await this.#write(key, outcome);
    } catch (error) {
      this.#onPrimaryError?.(error);
      this.#kept.set(key, outcome);
      this.#onChange?.("kept", key);
      this.#schedule();
      return true;
    }
  }

  async #write(key: string, outcome: Outcome): Promise<boolean> {
    if (outcome.kind === "release") {
      await this.#primary.release(key);
      return true;
    }
    const write = outcome.kind === "complete" ? this.#primary.complete : this.#primary.fail;
    return write.call(this.#primary, key, outcome.result, outcome.ttlMs);
  }

  async #deliver(key: string, outcome: Outcome): Promise<void> {
    await this.#write(key, outcome);
    if (this.#kept.get(key) === outcome) this.#kept.delete(key);
    this.#onChange?.("delivered", key);
  }

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => void this.#deliverAll(), this.#waitMs);
    this.#timer.unref();
  }

  async #deliverAll(): Promise<void> {
    let failed = false;
    for (const [key, outcome] of [...this.#kept]) {
      try {
        await this.#deliver(key, outcome);
      } catch {
        failed = true;
        break; // the primary is still down: try them all again later
      }
    }
    this.#timer = undefined;
    this.#waitMs = failed ? Math.min(this.#maxRetryMs, this.#waitMs * 2) : this.#retryMs;
    if (this.#kept.size > 0) this.#schedule();
  }
}
