export type QueryValue = string | number | boolean | undefined;
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

/** `?a=1&b=x%20y`, or "" when nothing is set. Arrays repeat the key; undefined values are left out. */
export function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const list: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
    for (const item of list) if (item !== undefined) params.append(key, String(item));
  }
  const text = params.toString();
  // URLSearchParams writes spaces as "+"; %20 means the same to every server and to undici's MockAgent.
  return text ? `?${text.replaceAll("+", "%20")}` : "";
}

/**
 * The request target sent to the origin: base path prefix + path + query. A path that was not built with
 * the `path` template and carries its own query or fragment is refused, so ids can never smuggle one in.
 */
export function requestTarget(prefix: string, path: string, query: Query | undefined): string {
  if (!path.startsWith("/")) throw new TypeError(`request path must start with "/"`);
  if (/[?#]/.test(path)) throw new TypeError("request path must not contain ? or #: pass `query` instead");
  return prefix + path + queryString(query);
}
