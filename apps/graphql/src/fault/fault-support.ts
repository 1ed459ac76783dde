/** Shared by the fault suite (`*.fault.test.ts`): workloads, concurrency, figures. */
import type { KnownVendor } from "@taskbridge/model";
import type { Sandbox } from "@taskbridge/sandbox";
import { type GqlResult, type Stack, testConfig } from "../e2e-support.ts";

export const ENUM: Record<KnownVendor, string> = {
  maxai: "MAX_AI",
  cakewalk: "CAKEWALK",
  capy: "CAPY",
  maxsight: "MAXSIGHT",
};
export const ALL: readonly KnownVendor[] = ["maxai", "cakewalk", "capy", "maxsight"];

/** The test tenant's config with the same vendor timeouts on every connection (for `startStack({ config })`). */
export function configWithTimeouts(timeouts: { headersMs: number; bodyMs: number; totalMs: number }) {
  return (sandbox: Sandbox) => {
    const config = testConfig(sandbox);
    for (const connection of Object.values(config.tenants[0]?.connections ?? {})) {
      if (connection) connection.http = { timeouts };
    }
    return config;
  };
}

/** One figure line per scenario, easy to grep from the test output. */
export function report(line: string): void {
  console.log(`[fault] ${line}`);
}

export interface Read {
  vendor: KnownVendor;
  id: string;
}

/** `count` task reads cycling over the vendors given and each vendor's seeded task ids. */
export function reads(sandbox: Sandbox, count: number, vendors: readonly KnownVendor[] = ALL): Read[] {
  return Array.from({ length: count }, (_, i) => {
    const vendor = vendors[i % vendors.length] as KnownVendor;
    const ids = sandbox.vendors[vendor].seed.taskIds;
    return { vendor, id: ids[Math.floor(i / vendors.length) % ids.length] as string };
  });
}

export function readQuery({ vendor, id }: Read): string {
  return `{ task(vendor: ${ENUM[vendor]}, id: "${id}") { id status } }`;
}

export interface Timed {
  result: GqlResult;
  ms: number;
}

export async function timedGql(stack: Stack, query: string, options?: Parameters<Stack["gql"]>[1]): Promise<Timed> {
  const started = performance.now();
  const result = await stack.gql(query, options);
  return { result, ms: performance.now() - started };
}

/** "ok", or the first error's code. */
export function outcome(result: GqlResult): string {
  const errors = result.body?.errors as Array<{ extensions?: { code?: string } }> | undefined;
  if (!errors?.length) return "ok";
  return errors[0]?.extensions?.code ?? "UNKNOWN";
}

/** Runs `count` jobs, at most `concurrency` at a time; results in job order. */
export async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const ms = (value: number) => `${Math.round(value)} ms`;

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
