import { TaskbridgeError } from "./errors.ts";

export interface RetryOptions {
  /** Requests in all, the first included (default 3); 1 turns retries off. */
  attempts?: number;
  /**
   * The longest wait the client accepts before a retry (default 10 s). When the service asks for longer
   * (`retryAfterSeconds`), the error is returned at once so the caller can decide.
   */
  maxDelaySeconds?: number;
  /** First backoff step when the service names no wait (default 0.25 s); it doubles per retry, with full jitter. */
  baseDelaySeconds?: number;
}

/**
 * Calls `attempt` until it succeeds, fails with a code that is not retryable, or `attempts` run out. Waits what
 * the service asks for (`retryAfterSeconds`), otherwise a full-jitter exponential backoff.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal | undefined) => Promise<T>,
  options: RetryOptions,
  signal: AbortSignal | undefined,
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const maxDelay = options.maxDelaySeconds ?? 10;
  const base = options.baseDelaySeconds ?? 0.25;
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt(signal);
    } catch (error) {
      if (!(error instanceof TaskbridgeError)) throw error;
      const wait = error.retryAfter ?? Math.random() * Math.min(maxDelay, base * 2 ** (n - 1));
      if (n >= attempts || !error.retryable || wait > maxDelay) {
        Object.assign(error, { attempts: n });
        throw error;
      }
      await sleep(wait * 1000, signal);
    }
  }
}

/** A `Retry-After` header's wait in seconds (delay-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isNaN(seconds) ? undefined : Math.max(0, Math.ceil(seconds));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    const abort = () => {
      done();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
