/**
 * `pnpm --filter @taskbridge/sandbox start [--port-base N] [--latency MS] [--host H] [--seed N] [--no-rate-limit]`
 * Starts the four simulators, prints base URLs, credentials and a curl line each, and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { type Sandbox, type SandboxVendor, startSandbox } from "./sandbox.ts";
import { VENDORS, type Vendor } from "./types.ts";

const USAGE = `Usage: sandbox [--port-base N] [--latency MS] [--host HOST] [--seed N] [--no-rate-limit]
  --port-base N    maxai on N, cakewalk N+1, capy N+2, maxsight N+3 (default: ports chosen by the OS)
  --latency MS     delay added to every answer
  --host HOST      interface to bind (default 127.0.0.1)
  --seed N         data seed (default 1)
  --no-rate-limit  turn off Max AI's and Cakewalk's 1,000/60 s limits`;

// `pnpm start -- --flag` passes the `--` through; drop it so both spellings work.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
function readArgs() {
  try {
    return parseArgs({
      args,
      options: {
        "port-base": { type: "string" },
        latency: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        "no-rate-limit": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}
const values = readArgs();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const number = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const portBase = number("port-base", values["port-base"]);
const ports =
  portBase === undefined ? undefined : Object.fromEntries(VENDORS.map((vendor, i) => [vendor, portBase + i]));

const sandbox: Sandbox = await startSandbox({
  host: values.host,
  ports,
  latencyMs: number("latency", values.latency),
  seed: number("seed", values.seed),
  rateLimits: values["no-rate-limit"] ? { maxai: false, cakewalk: false } : undefined,
});

const NAMES: Record<Vendor, string> = { maxai: "Max AI", cakewalk: "Cakewalk", capy: "Capy", maxsight: "Maxsight" };

function curl(v: SandboxVendor): string {
  const { vendors } = sandbox;
  switch (v.vendor) {
    case "maxai": {
      const c = vendors.maxai.credentials;
      return `curl -s -H 'Authorization: Bearer ${c.apiKey}' -H 'X-Organization-Id: ${c.organizationId}' ${v.url}/v2/tasks/${vendors.maxai.seed.example.taskId}`;
    }
    case "cakewalk": {
      const c = vendors.cakewalk.credentials;
      return `curl -s -H 'X-API-KEY: ${c.apiKey}' -H 'X-API-SECRET: ${c.apiSecret}' ${v.url}/api/v1/Tasks/${vendors.cakewalk.seed.example.taskId}`;
    }
    case "capy":
      return `curl -s -H 'Authorization: Bearer ${vendors.capy.credentials.token}' ${v.url}/v1/tasks/${vendors.capy.seed.example.taskId}`;
    case "maxsight":
      return `curl -s -H 'apikey: ${vendors.maxsight.credentials.apiKey}' ${v.url}/v5/tasks/${vendors.maxsight.seed.example.taskId}`;
  }
}

const lines: string[] = ["Taskbridge sandbox: four vendor simulators", ""];
for (const vendor of VENDORS) {
  const v = sandbox.vendors[vendor] as SandboxVendor;
  lines.push(`${NAMES[vendor]} (${vendor})`);
  lines.push(`  base URL     ${v.url}`);
  lines.push(`  credentials  ${JSON.stringify(v.credentials)}`);
  lines.push(`  try          ${curl(v)}`);
  lines.push(`  seed ids     ${v.origin}/__sandbox/seed`);
  lines.push("");
}
lines.push(
  "Admin (per vendor origin): GET|POST|DELETE /__sandbox/faults, GET|DELETE /__sandbox/requests, POST /__sandbox/reset",
);
lines.push("Ctrl-C to stop.");
console.log(lines.join("\n"));

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the sandbox`);
  await sandbox.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
