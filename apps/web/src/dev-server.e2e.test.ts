/**
 * `npm run web`: Vite's dev server with this app's vite.config.ts, started as a process of its own with the
 * environment a person gives it, forwarding /graphql to the service that environment names.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Stack, startStack, TEST_KEY } from "@taskbridge/graphql/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const APP_DIR = fileURLToPath(new URL("../", import.meta.url));
const VITE = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");

let stack: Stack;
let running: ChildProcess | undefined;
beforeAll(async () => {
  stack = await startStack();
});
afterEach(async () => {
  if (running && running.exitCode === null && running.signalCode === null) {
    running.kill();
    await once(running, "exit");
  }
  running = undefined;
});
afterAll(() => stack?.close());

/** Vite on a port the OS picks, with `env` on top of this process's (TASKBRIDGE_URL and PORT unset unless given). */
function startVite(env: Record<string, string>): ChildProcess {
  running = spawn(process.execPath, [VITE, "--host", "127.0.0.1", "--port", "0", "--strictPort"], {
    cwd: APP_DIR,
    env: { ...process.env, TASKBRIDGE_URL: "", PORT: "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return running;
}

/** The origin Vite prints once it listens. */
async function originOf(vite: ChildProcess): Promise<string> {
  let printed = "";
  for await (const chunk of vite.stdout ?? []) {
    printed += String(chunk);
    const local = /Local:\s+(http:\/\/[^/\s]+)/.exec(printed);
    if (local?.[1]) return local[1];
  }
  throw new Error(`Vite exited without listening: ${printed}`);
}

/** Everything a process wrote to stderr, once it has exited. */
async function stderrOf(vite: ChildProcess): Promise<string> {
  let text = "";
  for await (const chunk of vite.stderr ?? []) text += String(chunk);
  return text;
}

describe("npm run web's dev server", () => {
  const named = {
    "on PORT, as npm start reads it": () => ({ PORT: String(new URL(stack.server.origin).port) }),
    "at TASKBRIDGE_URL": () => ({ TASKBRIDGE_URL: stack.server.origin }),
  };
  it.each(Object.keys(named) as (keyof typeof named)[])("forwards /graphql to the service %s", async (by) => {
    const origin = await originOf(startVite(named[by]()));
    const { taskId } = stack.sandbox.vendors.capy.seed.example;
    stack.sandbox.reset();
    const response = await fetch(`${origin}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ query: `{ task(vendor: CAPY, id: "${taskId}") { vendorId } }` }),
    });
    expect(await response.json()).toEqual({ data: { task: { vendorId: taskId } } });
    // This stack's own sandbox answered: the request went to that service and no other.
    expect(stack.sandbox.vendors.capy.requests.count({ path: `/api/v1/tasks/${taskId}` })).toBe(1);
  });

  it("refuses to start, saying why, when TASKBRIDGE_URL is not a URL", async () => {
    const vite = startVite({ TASKBRIDGE_URL: "127.0.0.1:4000" });
    const stderr = stderrOf(vite);
    const listened = await originOf(vite).then(
      () => true,
      () => false,
    );
    expect(listened).toBe(false);
    expect(await stderr).toContain("TASKBRIDGE_URL must be the service's origin");
  });
});
