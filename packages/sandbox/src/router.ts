/**
 * A tiny route matcher: `/v2/tasks/:id` style patterns, a trailing `*` for "the rest".
 * Compiled once; matching splits the path and compares segments (no regex per request).
 */
export interface PathPattern {
  /** Params by name when the path matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
}

export function compilePattern(pattern: string, options: { caseInsensitive?: boolean } = {}): PathPattern {
  const fold = options.caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s;
  const parts = pattern.split("/");
  const rest = parts.at(-1) === "*";
  if (rest) parts.pop();
  const segments = parts.map((part) =>
    part.startsWith(":") ? { param: part.slice(1), literal: "" } : { param: "", literal: fold(part) },
  );
  return {
    match(path) {
      const actual = path.split("/");
      if (rest ? actual.length < segments.length : actual.length !== segments.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as { param: string; literal: string };
        const value = actual[i] as string;
        if (segment.param) {
          if (value === "") return undefined;
          params[segment.param] = safeDecode(value);
        } else if (fold(value) !== segment.literal) {
          return undefined;
        }
      }
      return params;
    },
  };
}

export interface Route<H> {
  method: string;
  path: string;
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
}

/** Compiles a route table; `match` returns the first route whose method and path match. */
export function createRouter<H>(routes: readonly Route<H>[], options: { caseInsensitive?: boolean } = {}) {
  const compiled = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: compilePattern(route.path, options),
    handler: route.handler,
  }));
  return {
    match(method: string, path: string): RouteMatch<H> | undefined {
      for (const route of compiled) {
        if (route.method !== method) continue;
        const params = route.pattern.match(path);
        if (params) return { handler: route.handler, params };
      }
      return undefined;
    },
  };
}

function safeDecode(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A request matcher for fault specs and log filters: method (case-insensitive) and a path pattern or RegExp. */
export function compileMatcher(match: { method?: string; path?: string | RegExp } | undefined) {
  if (!match || (match.method === undefined && match.path === undefined)) return () => true;
  const method = match.method?.toUpperCase();
  const path = match.path;
  const pattern = typeof path === "string" ? compilePattern(path) : undefined;
  return (requestMethod: string, requestPath: string): boolean => {
    if (method !== undefined && method !== requestMethod) return false;
    if (path instanceof RegExp) {
      path.lastIndex = 0;
      return path.test(requestPath);
    }
    if (pattern) return pattern.match(requestPath) !== undefined;
    return true;
  };
}
