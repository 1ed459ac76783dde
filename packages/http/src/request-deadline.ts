/** Deadlines of signals made by requestDeadline(); weak, so a finished request's signal is not kept. */
const deadlines = new WeakMap<AbortSignal, number>();

/**
 * The signal for one incoming request (e.g. a GraphQL request): aborts when `parent` aborts or `ms` pass, and
 * carries its deadline. A client given this signal plans every retry and wait within it: a wait that would
 * outlast the request fails at once instead of being cut off by the abort.
 */
export function requestDeadline(ms: number, parent?: AbortSignal, now = Date.now()): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  deadlines.set(signal, now + ms);
  return signal;
}

/** Epoch milliseconds by which a requestDeadline() signal aborts; undefined for any other signal. */
export function signalDeadline(signal: AbortSignal | undefined): number | undefined {
  return signal ? deadlines.get(signal) : undefined;
}
