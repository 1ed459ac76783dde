/**
 * Optional string parameters of an "exists" provider state that pin the record's shape
 * (e.g. `{ id, status: "InProgress", type: "RequestReviewTask" }`), so a contract can ask for the fields it needs.
 */
export function shapeOf<K extends string>(
  params: Record<string, unknown>,
  keys: readonly K[],
): Partial<Record<K, string>> {
  const shape: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = params[key];
    if (typeof value === "string") shape[key] = value;
  }
  return shape;
}

/** Whether an existing record already has the pinned values (then the state leaves it alone). */
export function fits(record: object, shape: Record<string, string | undefined>): boolean {
  const fields = record as Record<string, unknown>;
  return Object.entries(shape).every(([key, value]) => value === undefined || fields[key] === value);
}

/** The id a provider state names (else `fallback`), lower-cased as the simulators store ids. */
export function stateId(value: unknown, fallback: string): string {
  return String(value ?? fallback).toLowerCase();
}
