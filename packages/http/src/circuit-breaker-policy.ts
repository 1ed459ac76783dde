import { VendorError } from "@taskbridge/model";
import { abortedByCaller, CircuitOpenError } from "./errors.ts";
import type { CallContext, Policy } from "./policy.ts";

export interface CircuitBreakerOptions {
  /** Share of failed attempts in the window that opens the circuit (default 0.5). */
  failureRatio?: number;
  /** Attempts the window must hold before the ratio counts (default 10): two failures in three calls is noise. */
  minimumAttempts?: number;
  /** Rolling window the ratio is computed over (default 10000). */
  windowMs?: number;
  /** How long the circuit stays open before one probe is let through (default 10000). */
  cooldownMs?: number;
  now?: () => number;
  /** Called on every transition, for logs and metrics. */
  onStateChange?(state: CircuitState): void;
}

export type CircuitState = "closed" | "open" | "half-open";

export type CircuitBreakerPolicy = Policy & { readonly state: () => CircuitState };

/** Kinds that say the vendor itself is unhealthy; 4xx answers (and our own rate budget) say nothing about that. */
const COUNTED = new Set(["unavailable", "timeout", "network"]);
/** The window is kept as this many buckets, so memory stays flat whatever the call rate. */
const BUCKETS = 10;

interface Bucket {
  start: number;
  attempts: number;
  failures: number;
}

/**
 * One breaker per vendor connection (create one instance per connection). It opens when, within the rolling
 * windowMs, at least minimumAttempts attempts ended and at least failureRatio of them failed with
 * unavailable/timeout/network (a steady 10% error rate never opens it; an outage does within a few calls).
 * Open: calls fail at once with CircuitOpenError (a VendorUnavailableError, "circuit open", retryAfterMs = remaining cooldown) and
 * nothing is sent. After the cooldown one probe goes through; its success (any answer from the vendor, 4xx
 * included) closes the circuit, its failure opens it again. Calls cancelled by their own signal count neither way.
 * Ours, not cockatiel's: its breaker closes on a cancelled probe, queues calls behind the probe, and opens only above
 * the ratio.
 */
export function circuitBreakerPolicy(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  const ratio = options.failureRatio ?? 0.5;
  const minimum = Math.max(1, options.minimumAttempts ?? 10);
  const windowMs = options.windowMs ?? 10_000;
  const bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
  const cooldownMs = options.cooldownMs ?? 10_000;
  const now = options.now ?? Date.now;
  let state: CircuitState = "closed";
  let buckets: Bucket[] = [];
  let openedAt = 0;
  let probing = false;
  let cooldown: NodeJS.Timeout | undefined;

  const move = (next: CircuitState) => {
    if (next === state) return;
    state = next;
    options.onStateChange?.(next);
  };

  const refuse = (call: CallContext, retryAfterMs: number) =>
    new CircuitOpenError(call.vendor, call.operation, retryAfterMs);

  const open = () => {
    openedAt = now();
    buckets = [];
    move("open");
    // Half-open once the cooldown is over, whether or not a call comes: what readiness and metrics report of an
    // idle connection is then not "open" long after the breaker would let a probe through.
    clearTimeout(cooldown);
    halfOpenIn(cooldownMs);
  };
  const halfOpenIn = (ms: number) => {
    cooldown = setTimeout(() => {
      if (state !== "open") return;
      const left = openedAt + cooldownMs - now();
      if (left > 0) halfOpenIn(left);
      else move("half-open");
    }, ms);
    cooldown.unref();
  };

  /** Adds one outcome and says whether the window now calls for opening. */
  const record = (failed: boolean): boolean => {
    const at = now();
    const start = at - (at % bucketMs);
    // Buckets are in time order: expired ones are at the front (no new array per call).
    while (buckets.length > 0 && (buckets[0] as Bucket).start <= at - windowMs) buckets.shift();
    let bucket = buckets.at(-1);
    if (!bucket || bucket.start !== start) {
      bucket = { start, attempts: 0, failures: 0 };
      buckets.push(bucket);
    }
    bucket.attempts += 1;
    if (failed) bucket.failures += 1;
    let attempts = 0;
    let failures = 0;
    for (const b of buckets) {
      attempts += b.attempts;
      failures += b.failures;
    }
    return attempts >= minimum && failures >= ratio * attempts;
  };

  const policy: Policy = async (call, attempt) => {
    call.observer?.breaker?.(state);
    if (state === "open") {
      const remaining = openedAt + cooldownMs - now();
      if (remaining > 0) throw refuse(call, remaining);
      move("half-open");
    }
    let probe = false;
    if (state === "half-open") {
      // The probe's outcome is unknown yet; a second call waits for it, hinted with a short retry.
      if (probing) throw refuse(call, Math.min(1_000, cooldownMs));
      probing = true;
      probe = true;
    }
    let outcome: "success" | "failure" | "neutral" = "neutral";
    try {
      const result = await attempt();
      outcome = "success";
      return result;
    } catch (error) {
      outcome = classify(error, call);
      throw error;
    } finally {
      if (probe) {
        probing = false;
        if (outcome === "success") {
          buckets = [];
          move("closed");
        } else if (outcome === "failure") open();
        // A neutral probe (cancelled) leaves the circuit half-open for the next call to probe.
      } else if (state === "closed" && outcome !== "neutral") {
        if (record(outcome === "failure")) open();
      }
    }
  };
  return Object.assign(policy, { state: () => state });
}

function classify(error: unknown, call: CallContext): "success" | "failure" | "neutral" {
  if (call.signal.aborted || abortedByCaller(error) || !(error instanceof VendorError)) return "neutral";
  if (COUNTED.has(error.kind)) return "failure";
  // Any other answer means the vendor is up; an error we raised without asking it means nothing.
  return error.status === undefined ? "neutral" : "success";
}
