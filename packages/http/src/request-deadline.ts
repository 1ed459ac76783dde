import { type BodyBudget, withBodyBudget } from "./body-budget.ts";

/**
 * The deadline a signal made by requestDeadline() / createRequestDeadline() carries, as a property of the signal:
 * a WeakMap from signal to deadline would hold an entry per request until the next full GC and lengthen its pause.
 */
const DEADLINE = Symbol("deadline");
type DeadlineSignal = AbortSignal & { [DEADLINE]?: number };
/** On a write's signal (RequestDeadline.writeSignal()): stops it following its caller, once the write is sent. */
const SENDING = Symbol("sending");
type WriteSignal = AbortSignal & { [SENDING]?: () => void };

/**
 * The signal for one incoming request (e.g. a GraphQL request): aborts when `parent` aborts or `ms` pass, and
 * carries its deadline. A client given this signal plans every retry and wait within it: a wait that would
 * outlast the request fails at once instead of being cut off by the abort.
 */
export function requestDeadline(ms: number, parent?: AbortSignal, now = Date.now()): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
  return withDeadline(signal, now + ms);
}

export interface RequestDeadline {
  /** Aborts with a TimeoutError when `ms` pass, or with the reason given to abort(); carries its deadline. */
  readonly signal: AbortSignal;
  /**
   * The signal to send one write with. Until the client sends it (sendingWith()) it aborts with the caller, so a write
   * still waiting (for a rate-budget slot, a vendor's pause) when its caller goes is never sent for nobody; from then
   * on it aborts only when `ms` pass, so a write under way is not abandoned with its caller and its outcome is known
   * (an idempotency key answers the caller's retry with it). Once the caller has gone it is `signal`, already aborted.
   */
  writeSignal(): AbortSignal;
  /** The caller went away: abort `signal` now (the reason should be an AbortError). */
  abort(reason: unknown): void;
  /** The request's work is over, its writes included, whether or not its caller is still there: clears the timer. */
  dispose(): void;
}

/**
 * Like requestDeadline() but for a hot path: one AbortController and one timer that dispose() clears, instead of
 * AbortSignal.timeout + AbortSignal.any and a parent signal (which cost a listener, and the parent's abort at the
 * end of every request). The caller forwards its own cancellation through abort(). Its signals carry `bodies`, the
 * request's budget of vendor response bytes, to every client call made with them.
 */
export function createRequestDeadline(
  ms: number,
  options: { now?: number; bodies?: BodyBudget | undefined } = {},
): RequestDeadline {
  const { now = Date.now(), bodies } = options;
  const at = now + ms;
  const controller = new AbortController();
  let writes: AbortController[] | undefined;
  // The reason is built only when the deadline passes; the same name AbortSignal.timeout uses.
  const timer = setTimeout(() => {
    const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    controller.abort(reason);
    if (writes) for (const write of writes) write.abort(reason);
  }, ms);
  const signal = withBodyBudget(withDeadline(controller.signal, at), bodies);
  return {
    signal,
    writeSignal() {
      if (signal.aborted) return signal;
      const write = new AbortController();
      writes ??= [];
      writes.push(write);
      const leave = () => write.abort(controller.signal.reason);
      controller.signal.addEventListener("abort", leave, { once: true });
      const written = withBodyBudget(withDeadline(write.signal, at), bodies) as WriteSignal;
      written[SENDING] = () => controller.signal.removeEventListener("abort", leave);
      return written;
    },
    abort(reason) {
      // The timer stays while a write sent on writeSignal() may still run.
      if (!writes) clearTimeout(timer);
      controller.abort(reason);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

function withDeadline(signal: AbortSignal, at: number): AbortSignal {
  (signal as DeadlineSignal)[DEADLINE] = at;
  return signal;
}

/** Epoch milliseconds by which a requestDeadline() signal aborts; undefined for any other signal. */
export function signalDeadline(signal: AbortSignal | undefined): number | undefined {
  return (signal as DeadlineSignal | undefined)?.[DEADLINE];
}

/**
 * The client is about to send a request made with `signal`: a write's signal (RequestDeadline.writeSignal()) stops
 * following its caller, so the write is seen through. Does nothing for any other signal.
 */
export function sendingWith(signal: AbortSignal | undefined): void {
  (signal as WriteSignal | undefined)?.[SENDING]?.();
}
