import type { KnownVendor } from "@taskbridge/model";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";
import { ALL, ENUM, outcome, report, tally } from "./fault-support.ts";

let sandbox: Sandbox;
let stack: Stack;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, logLevel: "warn" });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

const query = (vendor: KnownVendor, id: string) =>
  `{ task(vendor: ${ENUM[vendor]}, id: "${id}") { id title description vendorStatus raw } }`;

/** Strings of the vendor's body that must not reach the caller: every string value of the task as read cleanly. */
function bodyStrings(raw: unknown, out: string[] = []): string[] {
  if (typeof raw === "string" && raw.length >= 6) out.push(raw);
  else if (Array.isArray(raw)) for (const item of raw) bodyStrings(item, out);
  else if (raw && typeof raw === "object") for (const value of Object.values(raw)) bodyStrings(value, out);
  return out;
}

describe("fault: malformed and schema-breaking bodies", () => {
  it("answer VENDOR_CONTRACT_VIOLATION with nothing of the body or the credentials, and are not retried", async () => {
    const faults = [
      ["malformed JSON", { malformedJsonRate: 1 }],
      ["schema-breaking JSON", { schemaBreakRate: 1 }],
    ] as const;
    const outcomes: string[] = [];
    let leaks = 0;
    let requests = 0;
    for (const vendor of ALL) {
      const v = sandbox.vendors[vendor];
      for (const id of v.seed.taskIds.slice(0, 5)) {
        v.faults.clear();
        const clean = await stack.gql(query(vendor, id));
        const secrets = bodyStrings(clean.body.data.task.raw);
        for (const [, fault] of faults) {
          v.faults.set(fault);
          const before = v.requests.count();
          const result = await stack.gql(query(vendor, id));
          requests += 1;
          outcomes.push(outcome(result));
          expect(v.requests.count() - before).toBe(1);
          expect(result.body.data.task).toBeNull();
          for (const value of [...secrets, ...stack.secrets]) {
            if (result.text.includes(value)) leaks += 1;
          }
        }
      }
    }
    report(
      `contract violations: ${requests} requests (malformed + schema-breaking, 4 vendors), ` +
        `${JSON.stringify(tally(outcomes))}, ${leaks} body or credential strings in responses, 1 upstream call each`,
    );
    expect(tally(outcomes)).toEqual({ VENDOR_CONTRACT_VIOLATION: requests });
    expect(leaks).toBe(0);
  });
});
