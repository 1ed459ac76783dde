/**
 * The writes (createTask, task actions) under way in this process. A write already sent outlives its caller, and
 * so a shutdown's cut connections: closing the vendor clients and the store waits for each to finish and record
 * its outcome, so a retry elsewhere answers it instead of finding its key stuck.
 */
export class InFlightWrites {
  readonly #running = new Set<Promise<unknown>>();

  /** Runs `write`, counted until it settles. */
  track<T>(write: Promise<T>): Promise<T> {
    this.#running.add(write);
    const forget = () => this.#running.delete(write);
    write.then(forget, forget);
    return write;
  }

  /** Resolves once no write is under way, including any that started while it waited. */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
