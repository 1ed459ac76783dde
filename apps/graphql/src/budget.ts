import { InvalidInputError, type Vendor } from "@taskbridge/model";
import { badUserInput } from "./errors.ts";

export interface BudgetLimits {
  /** Vendor calls one HTTP request may make, batch items, fields and aliases together. */
  maxCalls: number;
  /** Share of a connection's rate budget one request may spend (e.g. 0.1: 100 of Max AI's 1,000 a minute). */
  rateShare: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { maxCalls: 100, rateShare: 0.1 };

/** Calls an operation will make, per vendor; reads of the same task are counted once. */
export interface CallPlan {
  reads: Set<string>;
  calls: Map<Vendor, number>;
}

/**
 * The vendor calls one HTTP request may make. Checked twice: before an operation runs, against what its fields
 * and arguments (variables included) say it will call (`check`), so a request over the limit calls nothing; and
 * as calls happen (`spend`), which also covers what no argument tells in advance (people looked up for assignees).
 */
export class RequestBudget {
  readonly #limits: BudgetLimits;
  /** The connection's rate limit per window, when it has one. */
  readonly #rateLimit: (vendor: Vendor) => number | undefined;
  #spent = 0;
  readonly #byVendor = new Map<Vendor, number>();

  /** The tenant's vendors: the ones a request can call. */
  readonly #vendors: Iterable<Vendor>;

  constructor(limits: BudgetLimits, rateLimit: (vendor: Vendor) => number | undefined, vendors: Iterable<Vendor>) {
    this.#limits = limits;
    this.#rateLimit = rateLimit;
    this.#vendors = vendors;
  }

  /** Whether `calls` more calls fit every limit whichever vendors they go to (then no exact plan is needed). */
  surelyFits(calls: number): boolean {
    if (this.#spent + calls > this.#limits.maxCalls) return false;
    for (const vendor of this.#vendors) {
      const cap = this.#vendorCap(vendor);
      if (cap !== undefined && (this.#byVendor.get(vendor) ?? 0) + calls > cap) return false;
    }
    return true;
  }

  /** Vendor calls one request may make in all. */
  get maxCalls(): number {
    return this.#limits.maxCalls;
  }

  /** Vendor calls made so far (the access line's `vendorCalls`). */
  get spent(): number {
    return this.#spent;
  }

  /** A BAD_USER_INPUT error when the plan, on top of what was spent, exceeds a limit; else undefined. */
  check(plan: CallPlan): Error | undefined {
    const total = this.#spent + [...plan.calls.values()].reduce((sum, n) => sum + n, 0);
    if (total > this.#limits.maxCalls) return this.#overTotal(total);
    for (const [vendor, calls] of plan.calls) {
      const cap = this.#vendorCap(vendor);
      const planned = (this.#byVendor.get(vendor) ?? 0) + calls;
      if (cap !== undefined && planned > cap) return this.#overShare(vendor, planned, cap);
    }
    return undefined;
  }

  /**
   * Makes a vendor call within the budget: counted before it starts (BAD_USER_INPUT instead, when it would pass
   * a limit), and given back when the client refused it before sending anything (a malformed id). `calls` is the
   * most calls `send` makes (a listing page that reads each task it lists), all counted up front.
   */
  async call<T>(vendor: Vendor, send: () => Promise<T>, calls = 1): Promise<T> {
    this.#spend(vendor, calls);
    try {
      return await send();
    } catch (error) {
      if (error instanceof InvalidInputError) {
        this.#spent -= calls;
        this.#byVendor.set(vendor, (this.#byVendor.get(vendor) ?? calls) - calls);
      }
      throw error;
    }
  }

  #spend(vendor: Vendor, calls: number): void {
    const total = this.#spent + calls;
    if (total > this.#limits.maxCalls) throw this.#overTotal(total);
    const planned = (this.#byVendor.get(vendor) ?? 0) + calls;
    const cap = this.#vendorCap(vendor);
    if (cap !== undefined && planned > cap) throw this.#overShare(vendor, planned, cap);
    this.#spent = total;
    this.#byVendor.set(vendor, planned);
  }

  #vendorCap(vendor: Vendor): number | undefined {
    const limit = this.#rateLimit(vendor);
    return limit === undefined ? undefined : Math.max(1, Math.floor(limit * this.#limits.rateShare));
  }

  #overTotal(total: number) {
    return badUserInput(
      `This request needs ${total} vendor calls; one request may make at most ${this.#limits.maxCalls} (refs, fields, aliases and batch items count together).`,
    );
  }

  #overShare(vendor: Vendor, planned: number, cap: number) {
    return badUserInput(
      `This request needs ${planned} calls to ${vendor}; one request may spend at most ${cap} of that connection's rate budget.`,
    );
  }
}
