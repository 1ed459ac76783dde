import { VendorError, VendorUnavailableError } from "@taskbridge/model";
import { abortedByCaller } from "./errors.ts";
import type { CallContext, Policy } from "./policy.ts";

export interface CircuitBreakerOptions {
  /** Counted failures within windowMs that open the circuit (default 5). */
  failureThreshold?: number;
  /** How far back failures count (default 30000). */
  windowMs?: number;
  /** How long the circuit stays open before one probe is let through (default 10000). */
  cooldownMs?: number;
  now?: () => number;
}

export type CircuitState = "closed" | "open" | "half-open";

export type CircuitBreakerPolicy = Policy & { readonly state: () => CircuitState };

/** Kinds that say the vendor itself is unhealthy; 4xx answers (and our own rate budget) say nothing about that. */
const COUNTED = new Set(["unavailable", "timeout", "network"]);

/**
 * One breaker per vendor connection (create one instance per connection). After failureThreshold counted
 * failures within windowMs it opens: calls fail at once with VendorUnavailableError ("circuit open",
 * retryAfterMs = remaining cooldown) and nothing is sent. After the cooldown one probe goes through; its success
 * (any answer from the vendor, 4xx included) closes the circuit, its failure opens it again. Calls cancelled by
 * their own signal count neither way.
 */
export function circuitBreakerPolicy(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  const threshold = Math.max(1, options.failureThreshold ?? 5);
  const windowMs = options.windowMs ?? 30_000;
  const cooldownMs = options.cooldownMs ?? 10_000;
  const now = options.now ?? Date.now;
  let state: CircuitState = "closed";
  let failures: number[] = [];
  let openedAt = 0;
  let probing = false;

  const refuse = (call: CallContext, retryAfterMs: number) =>
    new VendorUnavailableError(call.vendor, `${call.vendor} ${call.operation}: circuit open`, {
      detail: "circuit open",
      retryAfterMs,
    });

  const open = () => {
    state = "open";
    openedAt = now();
    failures = [];
  };

  const policy: Policy = async (call, attempt) => {
    if (state === "open") {
      const remaining = openedAt + cooldownMs - now();
      if (remaining > 0) throw refuse(call, remaining);
      state = "half-open";
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
          state = "closed";
          failures = [];
        } else if (outcome === "failure") open();
      } else if (state === "closed" && outcome === "failure") {
        const at = now();
        failures = failures.filter((t) => t > at - windowMs);
        failures.push(at);
        if (failures.length >= threshold) open();
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
