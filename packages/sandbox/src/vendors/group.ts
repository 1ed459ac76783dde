/** Ids grouped by a field; `known` values get a (possibly empty) list even when nothing has them. */
export function groupIds<T extends { id: string }>(
  items: readonly T[],
  key: (item: T) => string,
  known: readonly string[] = [],
): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const value of known) groups[value] = [];
  for (const item of items) {
    const value = key(item);
    const list = groups[value] ?? [];
    list.push(item.id);
    groups[value] = list;
  }
  return groups;
}
