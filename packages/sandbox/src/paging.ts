import { createHash, createHmac, randomBytes } from "node:crypto";

/** A list item's place in a listing's order: compared field by field; the last field is always a unique id. */
export type SortKey = readonly (string | number | null)[];

export type TokenReading = { after: SortKey } | { error: "expired" | "invalid" };

/**
 * Page tokens as vendors issue them: opaque, bound to one query, signed (so a token of another query, another
 * vendor or another sandbox is refused) and expiring. A token names the last item a page returned (keyset paging),
 * so pages stay stable when items elsewhere in the listing change.
 */
export interface PageTokens {
  issue(query: string, after: SortKey): string;
  read(token: string, query: string): TokenReading;
}

export function createPageTokens(options: { now: () => number; ttlMs: number }): PageTokens {
  // One secret per simulator instance: tokens never survive a restart, as with a real vendor's rotated keys.
  const secret = randomBytes(16);
  const sign = (payload: string) => createHmac("sha256", secret).update(payload).digest("base64url").slice(0, 22);
  const fingerprint = (query: string) => createHash("sha256").update(query).digest("base64url").slice(0, 16);
  return {
    issue(query, after) {
      const payload = Buffer.from(JSON.stringify({ q: fingerprint(query), a: after, t: options.now() })).toString(
        "base64url",
      );
      return `${payload}.${sign(payload)}`;
    },
    read(token, query) {
      const [payload = "", signature, extra] = token.split(".");
      if (extra !== undefined || signature !== sign(payload)) return { error: "invalid" };
      const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
        q: string;
        a: SortKey;
        t: number;
      };
      if (body.q !== fingerprint(query)) return { error: "invalid" };
      if (options.now() - body.t > options.ttlMs) return { error: "expired" };
      return { after: body.a };
    },
  };
}

/** Orders sort keys; `descending` applies to the first field only (the id that breaks ties stays ascending). */
export function compareKeys(a: SortKey, b: SortKey, descending = false): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    // Nulls sort first, as most databases put them in ascending order.
    const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
    return i === 0 && descending ? -order : order;
  }
  return 0;
}

/** The items after `after` (all of them without a token), sorted; and whether more follow the first `size`. */
export function keysetPage<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  options: { size: number; after?: SortKey | undefined; descending?: boolean },
): { page: T[]; more: boolean } {
  const sorted = [...items].sort((a, b) => compareKeys(keyOf(a), keyOf(b), options.descending));
  const { after } = options;
  const rest = after ? sorted.filter((item) => compareKeys(keyOf(item), after, options.descending) > 0) : sorted;
  return { page: rest.slice(0, options.size), more: rest.length > options.size };
}

/** The default lifetime of a page token: long enough for a person paging by hand, short enough to test. */
export const DEFAULT_PAGE_TOKEN_TTL_MS = 15 * 60_000;
