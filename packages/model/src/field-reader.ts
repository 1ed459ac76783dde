import { fieldViolation, VendorContractViolationError } from "./errors.ts";
import type { AnyTask } from "./task.ts";
import { normalizeTimestamp, TimestampError, timestampViolation } from "./timestamp.ts";
import type { Vendor } from "./vendor.ts";

/** The HTTP answer a vendor payload came from: every contract violation found in the payload carries both. */
export interface VendorAnswer {
  status: number;
  traceId?: string | undefined;
}

/**
 * The canonical fields of one mapped payload that could not be read, each with the contract violation that says
 * why. Such a field is null; everything else, `raw` included, is as mapped.
 */
export type FieldProblems<F extends string = string> = Partial<Record<F, VendorContractViolationError>>;

/**
 * Reads a vendor payload field by field, so that one value the canonical model cannot read costs that field only:
 * the field becomes null and its problem is kept under the canonical field's name. Only the payload's identity
 * fails the whole payload. Every violation carries the answer's status and trace id.
 */
export interface FieldReader<F extends string> {
  /** `read()`'s value; null, with the problem kept under `field`, when it throws a contract violation. */
  field<T>(field: F, read: () => T): T | null;
  /** A vendor timestamp in canonical form (see normalizeTimestamp), or null with the problem kept under `field`. */
  timestamp(field: F, value: string, wireField: string): string | null;
  /** A whole number up to ±(2^53 − 1), which every consumer reads exactly; anything else is null with a problem. */
  safeInteger(field: F, value: unknown, wireField: string): number | null;
  /** `read()`'s value; a contract violation it throws is the payload's, thrown with the answer's status. */
  identity<T>(read: () => T): T;
  /** `value` with `problems` added when there were any (absent otherwise). */
  finish<T extends object>(value: T): T & { problems?: FieldProblems<F> };
}

export function fieldReader<F extends string>(vendor: Vendor, answer: VendorAnswer): FieldReader<F> {
  let problems: FieldProblems<F> | undefined;
  const violation = (error: unknown): VendorContractViolationError | undefined => {
    if (error instanceof VendorContractViolationError) return withAnswer(error, answer);
    if (error instanceof TimestampError) return withAnswer(timestampViolation(vendor, error), answer);
    return undefined;
  };
  const reader: FieldReader<F> = {
    field(field, read) {
      try {
        return read();
      } catch (error) {
        const problem = violation(error);
        if (!problem) throw error;
        problems = { ...problems, [field]: problem } as FieldProblems<F>;
        return null;
      }
    },
    timestamp(field, value, wireField) {
      return reader.field(field, () => normalizeTimestamp(value, wireField));
    },
    safeInteger(field, value, wireField) {
      return reader.field(field, () => {
        if (Number.isSafeInteger(value)) return value as number;
        // JSON.parse makes an integer past 1e308 Infinity: still an integer as sent, only too large.
        const large =
          Number.isInteger(value) || value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY;
        const reason = large ? "an integer beyond ±(2^53 − 1), which cannot be read exactly" : "not an integer";
        throw fieldViolation(vendor, wireField, reason);
      });
    },
    identity(read) {
      try {
        return read();
      } catch (error) {
        throw violation(error) ?? error;
      }
    },
    finish(value) {
      return problems ? { ...value, problems } : value;
    },
  };
  return reader;
}

/** The violation with the answer's status and trace id, unless it already names an answer. */
export function withAnswer(error: VendorContractViolationError, answer: VendorAnswer): VendorContractViolationError {
  if (error.status !== undefined) return error;
  return new VendorContractViolationError(error.vendor, error.message, {
    status: answer.status,
    traceId: error.traceId ?? answer.traceId,
    detail: error.detail,
    field: error.field,
    cause: error.cause,
  });
}

/**
 * A payload about another task (or person) than the one asked for breaks the vendor's contract: the caller must
 * never get it, nor a loader keep it, as the one it asked for. `same` compares the asked id with the payload's
 * (both canonical), by default exactly.
 */
export function expectAnsweredId<T extends { id: string; vendor: Vendor }>(
  value: T,
  asked: string,
  answer: VendorAnswer,
  same: (asked: string, answered: string) => boolean = (a, b) => a === b,
): T {
  if (same(asked, value.id)) return value;
  throw withAnswer(fieldViolation(value.vendor, "id", "not the id asked for"), answer);
}

/**
 * The problem a task has for one of its fields, or undefined. A task that went through JSON (an idempotency record
 * keeps the created task as JSON) holds its problems in their toJSON form: they are read back as what they were.
 */
export function problemOf(
  task: Pick<AnyTask, "vendor" | "problems">,
  field: string,
): VendorContractViolationError | undefined {
  const problem: unknown = task.problems?.[field];
  if (problem === undefined || problem instanceof VendorContractViolationError) return problem;
  const json = (typeof problem === "object" && problem !== null ? problem : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof json[key] === "string" ? (json[key] as string) : undefined);
  return new VendorContractViolationError(
    task.vendor,
    text("message") ?? `${task.vendor}: ${field} could not be read`,
    {
      status: typeof json.status === "number" ? json.status : undefined,
      traceId: text("traceId"),
      field: text("field"),
    },
  );
}
