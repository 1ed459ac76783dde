import { createHash } from "node:crypto";
import { setTimeout as wait } from "node:timers/promises";
import { provenNotApplied, type SharedStore, StoreFullError, signalDeadline } from "@taskbridge/http";
import type { Vendor } from "@taskbridge/model";

/** 1–200 printable ASCII characters (a UUID, a ULID, "order-42/attempt"...). */
export const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,200}$/;

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export type IdempotencyCode =
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_IN_PROGRESS"
  | "IDEMPOTENCY_OUTCOME_UNKNOWN"
  | "IDEMPOTENCY_UNAVAILABLE"
  | "IDEMPOTENCY_RECORDS_FULL";

/** When a caller refused for an unreachable store is told to try again. */
const UNAVAILABLE_RETRY_MS = 1_000;

/** A keyed write (createTask, a task action) answered from, or refused by, its idempotency record. Mapped to its code by errors.ts. */
export class IdempotencyError extends Error {
  readonly code: IdempotencyCode;
  readonly vendor: Vendor;
  readonly retryAfterMs: number | undefined;
  constructor(
    code: IdempotencyCode,
    vendor: Vendor,
    message: string,
    options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "IdempotencyError";
    this.code = code;
    this.vendor = vendor;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export interface IdempotencyOptions {
  store: SharedStore;
  /** How long records are kept (default and minimum 24 h). */
  ttlMs?: number;
  /**
   * A record still pending after this long lost its owner (the instance died mid-POST): answered as outcome
   * unknown rather than in progress (default 120 s, well past any request deadline).
   */
  abandonedAfterMs?: number;
  now?: () => number;
  /** Hears how each keyed write was answered (metrics). */
  onOutcome?(outcome: IdempotencyOutcome): void;
}

/**
 * How a keyed write was answered: sent (once, now), replayed (from its record), released (sent and refused by the
 * vendor, so the key is free again), or refused with its code (`key_reused`, `in_progress`, `outcome_unknown`,
 * `unavailable`, `records_full`).
 */
export type IdempotencyOutcome =
  | "sent"
  | "replayed"
  | "released"
  | "key_reused"
  | "in_progress"
  | "outcome_unknown"
  | "unavailable"
  | "records_full";

/** A record's outcome. The field is `task` for every write: what createTask's records have always held. */
interface Outcome<T> {
  task: T;
}

/** One keyed write: whose it is, what it sends (fingerprinted) and what it does, for the messages. */
export interface IdempotentCall {
  tenantId: string;
  vendor: Vendor;
  key: string;
  /** What is sent: the same key with another input is IDEMPOTENCY_KEY_REUSED. */
  input: unknown;
  /** What the write does once done, for the outcome-unknown message: "created the task", "approved the task". */
  done: string;
  signal?: AbortSignal | undefined;
}

const UNKNOWN = { outcome: "unknown" } as const;

/**
 * Runs `write` (a createTask, a task action) at most once per (tenant, key): the same key with the same input
 * answers the first call's result without asking the vendor again, across concurrent calls and instances sharing
 * the store. Keys are one space per tenant, whatever the operation.
 *
 * - claimed → the write is sent once. Success: its result is recorded. A failure that proves the vendor did not
 *   apply it (a 4xx, nothing sent): the claim is released and the error returned, so a retry may send it again.
 *   Any other failure (reset, timeout, 5xx, lost or unreadable answer): the vendor may have applied it, so the key
 *   is recorded as outcome unknown and never sends again.
 * - pending (a concurrent duplicate) → waits for the outcome, polling with backoff until the request's deadline,
 *   then IDEMPOTENCY_IN_PROGRESS.
 * - a different input under the key → IDEMPOTENCY_KEY_REUSED.
 * - the store cannot be read (Redis unreachable) → IDEMPOTENCY_UNAVAILABLE, retryable, and nothing is sent: without
 *   the record a second write could apply twice (a second task). (A FallbackStore given as `store` answers from memory
 *   instead: the operator's opt-in to per-instance records.)
 * - the store holds as many records as it may (MemoryStore's bound) → IDEMPOTENCY_RECORDS_FULL, and nothing is sent:
 *   it refuses new keys rather than forget a live record, whose repeated write would then apply twice.
 */
export async function idempotent<T>(
  options: IdempotencyOptions,
  call: IdempotentCall,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await answer(options, call, write);
  } catch (error) {
    if (error instanceof IdempotencyError) options.onOutcome?.(REFUSALS[error.code]);
    throw error;
  }
}

const REFUSALS: Record<IdempotencyCode, IdempotencyOutcome> = {
  IDEMPOTENCY_KEY_REUSED: "key_reused",
  IDEMPOTENCY_IN_PROGRESS: "in_progress",
  IDEMPOTENCY_OUTCOME_UNKNOWN: "outcome_unknown",
  IDEMPOTENCY_UNAVAILABLE: "unavailable",
  IDEMPOTENCY_RECORDS_FULL: "records_full",
};

async function answer<T>(options: IdempotencyOptions, call: IdempotentCall, write: () => Promise<T>): Promise<T> {
  const { store } = options;
  const ttlMs = Math.max(DEFAULT_IDEMPOTENCY_TTL_MS, options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
  const abandonedAfterMs = options.abandonedAfterMs ?? 120_000;
  const now = options.now ?? Date.now;
  const { vendor, signal } = call;
  const recordKey = `${call.tenantId}:${call.key}`;
  const fingerprint = fingerprintOf(call.input);
  const deadline = signalDeadline(signal) ?? now() + 10_000;
  let pollMs = 25;

  for (;;) {
    const found = await store.claim(recordKey, fingerprint, ttlMs).catch((error: unknown) => {
      if (error instanceof StoreFullError) {
        throw new IdempotencyError(
          "IDEMPOTENCY_RECORDS_FULL",
          vendor,
          "Taskbridge holds as many idempotency records as it may until older ones expire, so nothing was sent to the vendor. Retry with the same key later.",
          { retryAfterMs: error.retryAfterMs, cause: error },
        );
      }
      throw new IdempotencyError(
        "IDEMPOTENCY_UNAVAILABLE",
        vendor,
        "Idempotency records cannot be reached right now, so nothing was sent to the vendor. Retry with the same key.",
        { retryAfterMs: UNAVAILABLE_RETRY_MS, cause: error },
      );
    });
    if (found.state === "claimed") return run();
    if (found.fingerprint !== fingerprint) {
      throw new IdempotencyError(
        "IDEMPOTENCY_KEY_REUSED",
        vendor,
        "This idempotency key was already used with a different input. Use a new key for a different request.",
      );
    }
    if (found.state === "done") {
      options.onOutcome?.("replayed");
      return (found.result as Outcome<T>).task;
    }
    if (found.state === "failed" || (found.claimedAt !== undefined && now() - found.claimedAt > abandonedAfterMs)) {
      throw outcomeUnknown(call);
    }
    const left = deadline - now();
    if (left <= pollMs || signal?.aborted) {
      throw new IdempotencyError(
        "IDEMPOTENCY_IN_PROGRESS",
        vendor,
        "A request with this idempotency key is still in progress. Retry with the same key to get its result.",
        { retryAfterMs: 1_000 },
      );
    }
    await pause(pollMs, signal);
    pollMs = Math.min(500, Math.round(pollMs * 1.5));
  }

  async function run(): Promise<T> {
    let result: T;
    try {
      result = await write();
    } catch (error) {
      // A store failure here leaves the claim pending; it then ages into "outcome unknown" (abandonedAfterMs).
      if (provenNotApplied(error)) {
        await store.release(recordKey).catch(() => undefined);
        options.onOutcome?.("released");
        throw error;
      }
      await store.fail(recordKey, UNKNOWN, ttlMs).catch(() => undefined);
      throw outcomeUnknown(call, error);
    }
    // The write happened: answer it even if the record cannot be written.
    await store.complete(recordKey, { task: result } satisfies Outcome<T>, ttlMs).catch(() => undefined);
    options.onOutcome?.("sent");
    return result;
  }
}

function outcomeUnknown(call: IdempotentCall, cause?: unknown): IdempotencyError {
  return new IdempotencyError(
    "IDEMPOTENCY_OUTCOME_UNKNOWN",
    call.vendor,
    `The vendor may have ${call.done}, but its answer was lost. Check in the vendor before retrying with a new key; this key will not send it again.`,
    cause === undefined ? {} : { cause },
  );
}

/** SHA-256 of the input's canonical JSON (keys sorted at every level), so key order never matters. */
export function fingerprintOf(input: unknown): string {
  return createHash("sha256").update(canonicalJson(input), "utf8").digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Waits `ms`; an abort ends the wait early (the loop then answers IDEMPOTENCY_IN_PROGRESS). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return wait(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}
