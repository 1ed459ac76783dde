/** Any 8-4-4-4-12 hex id. Lax on version/variant: the vendors' own examples (`d4e5f6a7-b8c9-4d0e-1f2a-…`) are not RFC 4122. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** `tsk_a1b2…` (prefix + 32 lowercase hex) → the dashed v2 UUID, or undefined if it is not that prefix's id. */
export function prefixedToUuid(prefix: string, value: string): string | undefined {
  if (!value.startsWith(`${prefix}_`)) return undefined;
  const hex = value.slice(prefix.length + 1);
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Dashed UUID → `prefix_` + 32 lowercase hex (Max AI's v4 form of the same id). */
export function uuidToPrefixed(prefix: string, uuid: string): string {
  return `${prefix}_${uuid.replaceAll("-", "").toLowerCase()}`;
}

/** Accepts a dashed UUID or the prefixed form and returns the lowercase dashed UUID, or undefined. */
export function toUuid(prefix: string, value: string): string | undefined {
  if (isUuid(value)) return value.toLowerCase();
  return prefixedToUuid(prefix, value);
}
