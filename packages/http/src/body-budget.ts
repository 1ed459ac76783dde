/**
 * Bytes of vendor response bodies that calls may hold. A request's budget is given to its calls through its
 * request deadline's signal (createRequestDeadline's `bodies`) and draws on one shared by every request in flight,
 * so neither one request nor many together make the process hold more than their limits.
 */
export class BodyBudget {
  readonly limit: number;
  readonly #shared: BodyBudget | undefined;
  #used = 0;
  /** Released: calls still running (a write outliving its request) are neither counted nor given back. */
  #released = false;

  constructor(limit: number, shared?: BodyBudget) {
    this.limit = limit;
    this.#shared = shared;
  }

  /** Counts `bytes` more; when they do not fit, counts nothing and returns the budget they would pass. */
  take(bytes: number): BodyBudget | undefined {
    if (this.#released) return undefined;
    if (this.#used + bytes > this.limit) return this;
    const refused = this.#shared?.take(bytes);
    if (refused) return refused;
    this.#used += bytes;
    return undefined;
  }

  /** Gives back `bytes` counted here (an answer dropped unread), to the shared budget too. */
  give(bytes: number): void {
    if (this.#released) return;
    this.#used -= bytes;
    this.#shared?.give(bytes);
  }

  /** Gives back everything counted here: the request is over. */
  release(): void {
    this.give(this.#used);
    this.#released = true;
  }
}

const BODIES = Symbol("bodies");
type BudgetSignal = AbortSignal & { [BODIES]?: BodyBudget };

/** Makes `signal` carry `bodies` (a property, for the reason the deadline is one). */
export function withBodyBudget(signal: AbortSignal, bodies: BodyBudget | undefined): AbortSignal {
  if (bodies) (signal as BudgetSignal)[BODIES] = bodies;
  return signal;
}

/** The body budget a request's signal carries, if any. */
export function signalBodyBudget(signal: AbortSignal | undefined): BodyBudget | undefined {
  return (signal as BudgetSignal | undefined)?.[BODIES];
}
