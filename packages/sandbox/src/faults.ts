import { createRandom, type Random } from "./random.ts";
import { compileMatcher } from "./router.ts";
import type { CannedAnswer, FaultControl, FaultKind, FaultSpec } from "./types.ts";

/** What to do to one request, decided when it arrives. */
export interface FaultPlan {
  latencyMs: number;
  /** Replaces the vendor's answer (or any answer at all). */
  instead?:
    | { kind: "answer"; answer: CannedAnswer }
    | { kind: "rate_limit"; retryAfter: string }
    | { kind: "reset" }
    | { kind: "hang" }
    | { kind: "error"; status: number };
  /** Spoils the vendor's answer on the way out (lost_response: handled, then no answer at all). */
  spoil?: Extract<FaultKind, "truncate" | "malformed_json" | "schema_break" | "lost_response">;
  slowBodyMs: number;
}

export interface Faults extends FaultControl {
  /** undefined when no fault applies (the fast path: no allocation when nothing is set). */
  decide(method: string, path: string): FaultPlan | undefined;
}

interface Rule {
  spec: FaultSpec;
  matches: (method: string, path: string) => boolean;
  random: Random;
  burstLeft: number;
  /** Matching requests still to pass untouched before the fault starts (`afterRequests`). */
  sparedLeft: number;
}

export function createFaults(): Faults {
  let rules: Rule[] = [];

  const toRule = (spec: FaultSpec): Rule => {
    validate(spec);
    return {
      spec: { ...spec },
      matches: compileMatcher(spec.match),
      random: createRandom(spec.seed ?? 1),
      burstLeft: spec.rateLimit?.count ?? 0,
      sparedLeft: spec.afterRequests ?? 0,
    };
  };

  return {
    set(spec) {
      rules = [toRule(spec)];
    },
    add(spec) {
      rules = [...rules, toRule(spec)];
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map((rule) => ({ ...rule.spec }));
    },
    decide(method, path) {
      if (rules.length === 0) return undefined;
      let plan: FaultPlan | undefined;
      for (const rule of rules) {
        if (!rule.matches(method, path)) continue;
        if (rule.sparedLeft > 0) {
          rule.sparedLeft--;
          continue;
        }
        const { spec, random } = rule;
        plan ??= { latencyMs: 0, slowBodyMs: 0 };
        plan.latencyMs += spec.latencyMs ?? 0;
        plan.slowBodyMs = Math.max(plan.slowBodyMs, spec.slowBodyMs ?? 0);
        if (!plan.instead) {
          if (spec.answer) plan.instead = { kind: "answer", answer: spec.answer };
          else if (rule.burstLeft > 0 && spec.rateLimit) {
            rule.burstLeft--;
            plan.instead = { kind: "rate_limit", retryAfter: spec.rateLimit.retryAfter };
          } else if (roll(random, spec.resetRate)) plan.instead = { kind: "reset" };
          else if (roll(random, spec.hangRate)) plan.instead = { kind: "hang" };
          else if (roll(random, spec.errorRate)) plan.instead = { kind: "error", status: spec.errorStatus ?? 503 };
        }
        if (!plan.spoil) {
          if (roll(random, spec.truncateRate)) plan.spoil = "truncate";
          else if (roll(random, spec.malformedJsonRate)) plan.spoil = "malformed_json";
          else if (roll(random, spec.schemaBreakRate)) plan.spoil = "schema_break";
          else if (roll(random, spec.lostResponseRate)) plan.spoil = "lost_response";
        }
      }
      return plan;
    },
  };
}

function roll(random: Random, rate: number | undefined): boolean {
  if (rate === undefined || rate <= 0) return false;
  return rate >= 1 || random.next() < rate;
}

const RATES = [
  "errorRate",
  "resetRate",
  "hangRate",
  "truncateRate",
  "malformedJsonRate",
  "schemaBreakRate",
  "lostResponseRate",
] as const;

function validate(spec: FaultSpec): void {
  for (const key of RATES) {
    const rate = spec[key];
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${key} must be between 0 and 1`);
  }
  for (const key of ["latencyMs", "slowBodyMs"] as const) {
    const ms = spec[key];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`${key} must be a duration in ms`);
  }
  if (spec.errorStatus !== undefined && !(spec.errorStatus >= 500 && spec.errorStatus <= 599)) {
    throw new RangeError("errorStatus must be a 5xx status");
  }
  if (spec.answer) {
    const { status, headers = {}, body } = spec.answer;
    if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
      throw new RangeError("answer.status must be an HTTP status from 200 to 599");
    }
    if (typeof body !== "string") throw new RangeError("answer.body must be a string");
    if (Object.values(headers).some((value) => typeof value !== "string")) {
      throw new RangeError("answer.headers must map names to strings");
    }
  }
  if (spec.afterRequests !== undefined && !(Number.isInteger(spec.afterRequests) && spec.afterRequests >= 0)) {
    throw new RangeError("afterRequests must be a non-negative integer");
  }
  if (spec.rateLimit && !(Number.isInteger(spec.rateLimit.count) && spec.rateLimit.count >= 0)) {
    throw new RangeError("rateLimit.count must be a non-negative integer");
  }
}
