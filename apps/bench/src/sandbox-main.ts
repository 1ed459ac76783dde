/**
 * Child process: the four vendor simulators with a fixed upstream delay and no published rate limits
 * (the benchmark sends far more than 1,000 requests a minute per key). Prints one JSON line, then runs until SIGTERM.
 * Input on stdin: { delayMs }.
 */
import { startSandbox, VENDORS } from "@taskbridge/sandbox";
import { readStdinJson } from "./child.ts";
import type { SandboxInfo } from "./sandbox-process.ts";

const { delayMs } = await readStdinJson<{ delayMs: number }>();
// A short request log: the probes read at most a few dozen entries; the default 10,000 (headers included) only
// held memory.
const sandbox = await startSandbox({
  latencyMs: delayMs,
  rateLimits: { maxai: false, cakewalk: false },
  logCapacity: 1_000,
});

const info = Object.fromEntries(
  VENDORS.map((vendor) => {
    const v = sandbox.vendors[vendor];
    return [vendor, { url: v.url, origin: v.origin, credentials: v.credentials, seed: v.seed }];
  }),
) as unknown as SandboxInfo;
process.stdout.write(`${JSON.stringify(info)}\n`);

process.once("SIGTERM", () => {
  void sandbox.close().then(() => process.exit(0));
});
