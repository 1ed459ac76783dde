import { type IdKind, InvalidInputError } from "@taskbridge/model";

/**
 * Max AI speaks two id dialects: v2 uses dashed UUIDs, v4 uses a type prefix plus the same 32 hex digits
 * without dashes (`a1b2c3d4-5678-4abc-9def-0123456789ab` = `tsk_a1b2c3d456784abc9def0123456789ab`).
 * Our canonical form is the v4 one; both are accepted everywhere, hex in any case (normalized to lower).
 * @see https://docs.maxcare.ai/api-reference/v4/tasks/create-task
 */
export const ID_PREFIXES = { task: "tsk", note: "nte", provider: "prv", patient: "pat" } as const;
export type MaxAiIdKind = keyof typeof ID_PREFIXES;

export const ID_FORMAT = "a Max AI v4 id (tsk_/nte_/prv_ + 32 hex digits) or a dashed v2 UUID";

const DASHED = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
// The prefix is lower case as documented; only the hex part is case-insensitive.
const PREFIXED = /^([a-z]{3})_([0-9a-fA-F]{32})$/;

/** The 32 lowercase hex digits both dialects share, or an InvalidInputError naming `field`. */
export function idHex(kind: MaxAiIdKind, value: string, field: string): string {
  const dashed = DASHED.exec(value);
  if (dashed) return dashed.slice(1).join("").toLowerCase();
  const prefixed = PREFIXED.exec(value);
  if (prefixed) {
    const [, prefix = "", hex = ""] = prefixed;
    const expected = ID_PREFIXES[kind];
    if (prefix !== expected) {
      // A prv_ id given where a task id belongs is a caller mistake, not a lookup that may 404.
      throw new InvalidInputError(field, `expected a ${kind} id (${expected}_…), got a ${describePrefix(prefix)} id`);
    }
    return hex.toLowerCase();
  }
  throw new InvalidInputError(field, `expected ${ID_FORMAT}`);
}

// A lowercase dashed UUID (what the API itself sends) converts without taking the value apart.
const V2_CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Canonical v4 form: `tsk_…`, `nte_…`, `prv_…`. */
export function toV4Id(kind: MaxAiIdKind, value: string, field = `${kind}Id`): string {
  if (V2_CANONICAL.test(value)) return `${ID_PREFIXES[kind]}_${undash(value)}`;
  return `${ID_PREFIXES[kind]}_${idHex(kind, value, field)}`;
}

/** A canonical v2 id's hex digits: its dashes are at fixed places, so they are cut out rather than searched for. */
function undash(uuid: string): string {
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
}

/** v2 form: a dashed lowercase UUID. */
export function toV2Id(kind: MaxAiIdKind, value: string, field = `${kind}Id`): string {
  if (V2_CANONICAL.test(value)) return value;
  const hex = idHex(kind, value, field);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function describePrefix(prefix: string): string {
  const known = Object.entries(ID_PREFIXES).find(([, p]) => p === prefix);
  // Only echo the prefix when it is one we know: the rest of the value stays out of the message.
  return known ? `${known[0]} (${prefix}_…)` : "differently prefixed";
}

/** Canonical ids by kind (TaskSource.canonicalId): the v4 dialect; a person is a provider. */
export const CANONICAL_IDS: Partial<Record<IdKind, (id: string) => string>> = {
  task: (id) => toV4Id("task", id),
  person: (id) => toV4Id("provider", id),
  note: (id) => toV4Id("note", id),
};
