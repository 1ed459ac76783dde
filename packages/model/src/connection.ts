import { z } from "zod";
import { VendorNotConfiguredError } from "./errors.ts";
import type { Vendor } from "./vendor.ts";

/**
 * A connection's `baseUrl`, one rule for every vendor: an http(s) origin plus an optional proxy prefix, never the
 * API version. The client adds the version to every path itself, so a base whose path ends with `version` (the
 * vendor's version segment, e.g. `/\/v\d+$/`) would double it; it is refused, with the URL to give instead.
 * Credentials, a query or a fragment in the URL are refused too (the transport would drop or log them).
 * The value comes out without a trailing slash.
 */
export function baseUrl(version: RegExp) {
  return z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) return; // already reported by z.url
      const url = new URL(value);
      const issue = (message: string) => ctx.addIssue({ code: "custom", message });
      if (url.username || url.password) issue("must not contain credentials: give them as the connection's secrets");
      if (url.search || url.hash) issue("must not have a query or a fragment");
      const path = trimSlashes(url.pathname);
      const found = version.exec(path);
      if (found) {
        const instead = url.origin + path.slice(0, found.index);
        issue(`must not end with the API version (${found[0]}): the client adds it; give ${instead}`);
      }
    })
    .transform((value) => {
      const url = new URL(value);
      return url.origin + trimSlashes(url.pathname);
    });
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}

/**
 * A value sent in a request header on every call (a credential, an organization id): required, and without
 * white space, which would corrupt the header or be cut off by it.
 */
export function headerValue() {
  return z
    .string({ error: (issue) => (issue.input == null ? "missing" : "must be a string") })
    .min(1, "missing")
    .regex(/^\S*$/, "must not contain white space");
}

/**
 * Validates a connection config against the vendor's schema. Every problem is named by its field through zod's
 * prettifier, never with the value; the messages of `baseUrl` and `headerValue` say what to give instead.
 * @throws VendorNotConfiguredError
 */
export function parseConnectionConfig<S extends z.ZodType>(vendor: Vendor, schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = z.prettifyError(parsed.error);
  throw new VendorNotConfiguredError(vendor, `${vendor} connection config is invalid:\n${problems}`, {
    detail: problems,
  });
}
