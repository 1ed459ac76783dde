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
  const { issues } = parsed.error;
  const summary = describeIssues(issues);
  // One problem names its field for the caller too (the message stays generic); several are in `detail` only.
  const [only] = issues.length === 1 ? issues : [];
  const field = only?.path.length ? issuePath(only) : undefined;
  throw new VendorContractViolationError(
    vendor,
    `${vendor} ${operation}: HTTP ${details.status} response does not match the contract (${summary})`,
    { ...details, detail: summary, field },
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
    const where = issue.path.length ? issuePath(issue) : "(root)";
    const expected = "expected" in issue && typeof issue.expected === "string" ? `, expected ${issue.expected}` : "";
    return `${where}: ${issue.code}${expected}`;
  });
  const more = issues.length > MAX_ISSUES ? `; +${issues.length - MAX_ISSUES} more` : "";
  return shown.join("; ") + more;
}

/** Path elements are keys and indexes of the payload, not values; record keys are still cut short and printable. */
function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map((key) => printable(String(key).slice(0, 64))).join(".");
}
