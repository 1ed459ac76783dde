import { compileMatcher } from "./router.ts";
import type { RequestEntry, RequestLogView } from "./types.ts";

/**
 * What a simulator received: exact counters per (method, path) plus a bounded ring of recent entries,
 * so memory stays flat over millions of requests while call-count assertions stay exact.
 */
export interface RequestLog extends RequestLogView {
  record(entry: Omit<RequestEntry, "seq" | "status">): RequestEntry;
  readonly total: number;
}

/** Distinct (method, path) keys kept before new ones are only counted in the total. */
const MAX_KEYS = 100_000;

export function createRequestLog(capacity = 10_000): RequestLog {
  let ring: (RequestEntry | undefined)[] = new Array(capacity);
  let next = 0;
  let seq = 0;
  let total = 0;
  const counts = new Map<string, { method: string; path: string; count: number }>();

  return {
    get total() {
      return total;
    },
    record(partial) {
      const entry = partial as RequestEntry;
      entry.seq = ++seq;
      entry.status = 0;
      total++;
      const key = `${partial.method} ${partial.path}`;
      const counter = counts.get(key);
      if (counter) counter.count++;
      else if (counts.size < MAX_KEYS) counts.set(key, { method: partial.method, path: partial.path, count: 1 });
      ring[next] = entry;
      next = (next + 1) % capacity;
      return entry;
    },
    count(filter) {
      if (!filter || (filter.method === undefined && filter.path === undefined)) return total;
      const match = compileMatcher(filter);
      let n = 0;
      for (const c of counts.values()) if (match(c.method, c.path)) n += c.count;
      return n;
    },
    entries(filter) {
      const match = compileMatcher(filter);
      const out: RequestEntry[] = [];
      for (let i = 0; i < capacity; i++) {
        const entry = ring[(next + i) % capacity];
        if (entry && match(entry.method, entry.path)) out.push(entry);
      }
      return out;
    },
    clear() {
      ring = new Array(capacity);
      next = 0;
      total = 0;
      counts.clear();
    },
  };
}
