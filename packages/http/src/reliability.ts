import { type CircuitBreakerOptions, circuitBreakerPolicy } from "./circuit-breaker-policy.ts";
import type { Policy } from "./policy.ts";
import { type RateBudgetOptions, rateBudgetPolicy } from "./rate-budget-policy.ts";
import { type RetryOptions, retryPolicy } from "./retry-policy.ts";
import { type VendorPauseOptions, vendorPausePolicy } from "./vendor-pause-policy.ts";

export interface ReliabilityOptions {
  /** false turns retries off. */
  retry?: RetryOptions | false;
  /** false turns the breaker off. */
  circuitBreaker?: CircuitBreakerOptions | false;
  /** false turns off the connection-wide pause after a vendor 429. */
  vendorPause?: VendorPauseOptions | false;
  /** No budget unless given. */
  rateBudget?: RateBudgetOptions;
}

/**
 * The usual policies for one vendor connection, in this order (outermost first):
 *
 * 1. retry: outermost, so each retry goes through the breaker, the pause and the budget again.
 * 2. circuit breaker: inside the retries, so it counts every real failed attempt (not one per call) and
 *    an open circuit stops the retry loops already running: its error carries the remaining cooldown as
 *    retryAfterMs, which the retry policy will not wait past its caps or the deadline. Outside the budget,
 *    so calls refused by an open circuit spend no budget.
 * 3. vendor pause: after a vendor 429, holds every attempt until its Retry-After (capped at maxPauseMs) has
 *    passed, then lets one probe go first; outside the budget, so a waiting call holds no slot.
 * 4. rate budget: innermost, right around each attempt, so every request actually sent takes a slot and
 *    nothing else does.
 *
 * Call it once per vendor connection: the breaker and the pause keep per-connection state.
 */
export function reliabilityPolicies(options: ReliabilityOptions = {}): Policy[] {
  const policies: Policy[] = [];
  if (options.retry !== false) policies.push(retryPolicy(options.retry ?? {}));
  if (options.circuitBreaker !== false) policies.push(circuitBreakerPolicy(options.circuitBreaker ?? {}));
  if (options.vendorPause !== false) policies.push(vendorPausePolicy(options.vendorPause ?? {}));
  if (options.rateBudget) policies.push(rateBudgetPolicy(options.rateBudget));
  return policies;
}
