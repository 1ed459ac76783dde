import type { IncomingMessage } from "node:http";
import { bearerKey } from "../tenants.ts";

/**
 * The tenant of a request's `Authorization: Bearer <key>`, remembered per keep-alive connection: the next request
 * on the connection with the same header skips the SHA-256. Comparing the header with the one this connection
 * sent before compares the caller's input with itself, so it tells the caller nothing about anyone's key.
 */
export function authenticator<T>(findTenant: (key: string) => T | undefined) {
  const known = new WeakMap<object, { header: string; tenant: T }>();
  return (req: IncomingMessage): T | undefined => {
    if (repeated(req.rawHeaders, "authorization")) return undefined;
    const header = req.headers.authorization;
    const last = known.get(req.socket);
    if (last !== undefined && last.header === header) return last.tenant;
    const key = bearerKey(header);
    const tenant = key === undefined ? undefined : findTenant(key);
    if (tenant !== undefined && header !== undefined) known.set(req.socket, { header, tenant });
    return tenant;
  };
}

/** More than one `name` header is ambiguous: Node keeps the first, and a proxy in front may have checked another. */
function repeated(rawHeaders: readonly string[], name: string): boolean {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const header = rawHeaders[i] as string;
    if (header.length === name.length && header.toLowerCase() === name && ++seen > 1) return true;
  }
  return false;
}
