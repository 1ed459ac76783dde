import { readListEntry, type Vendor, VendorContractViolationError } from "@taskbridge/model";
import type { z } from "zod";
import { printable } from "./printable.ts";

const MAX_ISSUES = 5;

/**
 * Checks a decoded body against its schema. A mismatch names the failing paths and the kind of each issue
 * (e.g. `data.assignedProviders.0.id: invalid_type, expected string`) and never a received value.
 */
export function decodeWithSchema<T>(
  vendor: Vendor,
  operation: string,
  schema: z.ZodType<T>,
  json: unknown,
  details: { status: number; traceId: string | undefined },
): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const summary = describeIssues(parsed.error.issues);
  throw new VendorContractViolationError(
    vendor,
    `${vendor} ${operation}: HTTP ${details.status} response does not match the contract (${summary})`,
    { ...details, detail: summary },
  );
}

/**
 * A listed page's entries, each decoded with `schema` and read on its own: an entry that breaks the contract is that
 * entry's error (see `readListEntry`), and the rest of the page is still read.
 */
export function decodeListEntries<W, T>(
  vendor: Vendor,
  entries: readonly unknown[],
  schema: z.ZodType<W>,
  details: { status: number; traceId?: string | undefined },
  read: (wire: W, raw: Record<string, unknown>) => T,
): (T | VendorContractViolationError)[] {
  return entries.map((raw, i) =>
    readListEntry(() =>
      read(
        decodeWithSchema(vendor, `listTasks entry ${i}`, schema, raw, {
          status: details.status,
          traceId: details.traceId,
        }),
        raw as Record<string, unknown>,
      ),
    ),
  );
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => {
    // Path elements are keys and indexes of the payload, not values; record keys are still cut short and printable.
    const where = issue.path.length ? issue.path.map((key) => printable(String(key).slice(0, 64))).join(".") : "(root)";
    const expected = "expected" in issue && typeof issue.expected === "string" ? `, expected ${issue.expected}` : "";
    return `${where}: ${issue.code}${expected}`;
  });
  const more = issues.length > MAX_ISSUES ? `; +${issues.length - MAX_ISSUES} more` : "";
  return shown.join("; ") + more;
}
