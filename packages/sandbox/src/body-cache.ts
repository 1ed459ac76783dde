/**
 * Rendered success bodies by key, so a hot read skips JSON.stringify. Owners delete keys (or clear) whenever the
 * data behind them changes.
 */
export interface BodyCache {
  /** The body for `key`, rendered on a miss; undefined, and nothing kept, when `render` finds nothing. */
  get(key: string, render: () => unknown): string | undefined;
  delete(key: string): void;
  clear(): void;
}

export function createBodyCache(): BodyCache {
  const bodies = new Map<string, string>();
  return {
    get(key, render) {
      let body = bodies.get(key);
      if (body === undefined) {
        const value = render();
        if (value === undefined) return undefined;
        body = JSON.stringify(value);
        bodies.set(key, body);
      }
      return body;
    },
    delete(key) {
      bodies.delete(key);
    },
    clear() {
      bodies.clear();
    },
  };
}
