import { MemoryStore } from "./memory-store.ts";
import type { ClaimResult, RateWindowResult, SharedStore } from "./store.ts";

export interface FallbackStoreOptions {
  /** The shared store (Redis). */
  primary: SharedStore;
  /** Used while the primary fails (default a new MemoryStore): limits and records then hold per process. */
  fallback?: SharedStore;
  /**
   * A primary operation slower than this counts as a failure (default 500). Keep it no shorter than the primary's
   * own deadline (RedisStore: timeoutMs + 100), so a command given up on here cannot still run in the primary.
   */
  timeoutMs?: number;
  /** While degraded, how often the primary is pinged to come back (default 1000). */
  probeMs?: number;
  /** Called once per transition: degraded (with the error that caused it) and recovered. */
  onChange?(degraded: boolean, error?: unknown): void;
}

/**
 * A SharedStore that keeps answering when its primary (Redis) does not: on the first failed or slow operation it
 * switches every operation to the local fallback and pings the primary in the background until it answers again.
 * While degraded, rate budgets count per instance and idempotency records are per instance (and records written
 * meanwhile are not in the primary afterwards): the service stays up with weaker cross-instance guarantees.
 */
export class FallbackStore implements SharedStore {
  readonly #primary: SharedStore;
  readonly #fallback: SharedStore;
  readonly #timeoutMs: number;
  readonly #probeMs: number;
  readonly #onChange: FallbackStoreOptions["onChange"];
  #degraded = false;
  #probe: NodeJS.Timeout | undefined;
  #probing = false;

  constructor(options: FallbackStoreOptions) {
    this.#primary = options.primary;
    this.#fallback = options.fallback ?? new MemoryStore();
    this.#timeoutMs = options.timeoutMs ?? 500;
    this.#probeMs = options.probeMs ?? 1_000;
    this.#onChange = options.onChange;
  }

  /** True while operations go to the fallback. */
  get degraded(): boolean {
    return this.#degraded;
  }

  rateWindow(key: string, limit: number, windowMs: number): Promise<RateWindowResult> {
    return this.#use((store) => store.rateWindow(key, limit, windowMs));
  }

  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    return this.#use((store) => store.claim(key, fingerprint, ttlMs));
  }

  complete(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#use((store) => store.complete(key, result, ttlMs));
  }

  fail(key: string, result: unknown, ttlMs: number): Promise<boolean> {
    return this.#use((store) => store.fail(key, result, ttlMs));
  }

  release(key: string): Promise<void> {
    return this.#use((store) => store.release(key));
  }

  /** Resolves whenever either store answers: a degraded store still serves. */
  ping(): Promise<void> {
    return this.#use((store) => store.ping());
  }

  async close(): Promise<void> {
    clearInterval(this.#probe);
    await Promise.allSettled([this.#primary.close(), this.#fallback.close()]);
  }

  async #use<T>(operation: (store: SharedStore) => Promise<T>): Promise<T> {
    if (!this.#degraded) {
      try {
        return await withTimeout(operation(this.#primary), this.#timeoutMs);
      } catch (error) {
        this.#goDown(error);
      }
    }
    return operation(this.#fallback);
  }

  #goDown(error: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#onChange?.(true, error);
    this.#probe = setInterval(() => void this.#tryPrimary(), this.#probeMs);
    this.#probe.unref();
  }

  async #tryPrimary(): Promise<void> {
    if (this.#probing || !this.#degraded) return;
    this.#probing = true;
    try {
      await withTimeout(this.#primary.ping(), this.#timeoutMs);
      clearInterval(this.#probe);
      this.#degraded = false;
      this.#onChange?.(false);
    } catch {
      // Still down; the next tick tries again.
    } finally {
      this.#probing = false;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`store did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
