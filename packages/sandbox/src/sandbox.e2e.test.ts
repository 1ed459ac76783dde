import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { type Sandbox, startSandbox } from "./sandbox.ts";
import { call } from "./testing/http.ts";
import { DEFAULT_CREDENTIALS, type FaultSpec, VENDORS } from "./types.ts";

/** A fresh sandbox with a Maxsight task read in flight under `faults`, once the sandbox has received it. */
async function sendUnanswered(faults: FaultSpec) {
  const sandbox = await startSandbox();
  const v = sandbox.vendors.maxsight;
  v.faults.set(faults);
  const pending = call(`${v.url}/v5/tasks/${v.seed.example.taskId}`, {
    headers: { apikey: v.credentials.apiKey },
    timeoutMs: 10_000,
  });
  pending.catch(() => undefined); // the tests await its rejection later
  // Polled, not a fixed wait: on a busy machine the request can take longer than any guess to arrive.
  await vi.waitFor(() => expect(v.requests.count()).toBe(1), { timeout: 4_000, interval: 2 });
  return { sandbox, pending };
}

/** Every seeded task of every vendor, as the wire sends it. */
async function dump(sandbox: Awaited<ReturnType<typeof startSandbox>>): Promise<string[]> {
  const { maxai, cakewalk, capy, maxsight } = sandbox.vendors;
  const out: string[] = [];
  const get = async (url: string, headers: Record<string, string>) => out.push((await call(url, { headers })).text);
  const maxaiAuth = {
    authorization: `Bearer ${maxai.credentials.apiKey}`,
    "x-organization-id": maxai.credentials.organizationId,
  };
  for (const id of maxai.seed.taskIds) await get(`${maxai.url}/v2/tasks/${id}`, maxaiAuth);
  for (const id of maxai.seed.personIds) await get(`${maxai.url}/v4/providers/${id}`, maxaiAuth);
  const ck = { "x-api-key": cakewalk.credentials.apiKey, "x-api-secret": cakewalk.credentials.apiSecret };
  for (const id of cakewalk.seed.taskIds) await get(`${cakewalk.url}/api/v1/Tasks/${id}`, ck);
  for (const id of cakewalk.seed.personIds) await get(`${cakewalk.url}/api/v1/Users/${id}`, ck);
  for (const id of capy.seed.taskIds)
    await get(`${capy.url}/v1/tasks/${id}`, { authorization: `Bearer ${capy.credentials.token}` });
  for (const id of maxsight.seed.taskIds)
    await get(`${maxsight.url}/v5/tasks/${id}`, { apikey: maxsight.credentials.apiKey });
  return out;
}

describe("startSandbox", () => {
  it("starts four servers on OS-chosen ports with the default credentials", async () => {
    const sandbox = await startSandbox();
    try {
      const ports = VENDORS.map((v) => sandbox.vendors[v].port);
      expect(new Set(ports).size).toBe(4);
      for (const vendor of VENDORS) {
        expect(sandbox.vendors[vendor].credentials).toEqual(DEFAULT_CREDENTIALS[vendor]);
        expect(sandbox.vendors[vendor].origin).toBe(`http://127.0.0.1:${sandbox.vendors[vendor].port}`);
      }
    } finally {
      await sandbox.close();
    }
  });

  it("two sandboxes with the same seed serve identical data; another seed serves different data", async () => {
    const [a, b, c] = await Promise.all([startSandbox(), startSandbox(), startSandbox({ seed: 2 })]);
    try {
      const first = await dump(a);
      expect(first.length).toBeGreaterThan(4 * 50);
      expect(await dump(b)).toEqual(first);
      expect(a.vendors.maxai.seed).toEqual(b.vendors.maxai.seed);
      const other = await dump(c);
      expect(other).not.toEqual(first);
      // The documented examples are fixed whatever the seed.
      expect(c.vendors.maxsight.seed.example).toEqual(a.vendors.maxsight.seed.example);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  }, 20_000); // three sandboxes, every record of each: allow for a busy machine

  it("binds fixed ports and fails cleanly when one is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(startSandbox({ ports: { capy: taken } })).rejects.toMatchObject({ code: "EADDRINUSE" });
      const { port, fixed } = await startOnFreedPort();
      expect(fixed.vendors.maxsight.port).toBe(port);
      await fixed.close();
    } finally {
      blocker.close();
    }
  });

  it("close() ends hanging requests and is idempotent", async () => {
    const { sandbox, pending } = await sendUnanswered({ hangRate: 1 });
    await Promise.all([sandbox.close(), sandbox.close()]);
    await expect(pending).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("close() drops delayed answers: none is sent (or logged as sent) afterwards", async () => {
    const { sandbox, pending } = await sendUnanswered({ latencyMs: 300 });
    await sandbox.close();
    await expect(pending).rejects.toMatchObject({ code: "ECONNRESET" });
    // Past the delay: an answer that still ran would have set the entry's status.
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(sandbox.vendors.maxsight.requests.entries().at(-1)).toMatchObject({ status: 0 });
  });

  it("reset() restores every vendor", async () => {
    const sandbox = await startSandbox();
    try {
      const { capy, maxai } = sandbox.vendors;
      capy.states["task {id} does not exist"]?.({ id: capy.seed.example.taskId });
      maxai.states["the API key lacks scope {scope}"]?.({ scope: "read:tasks" });
      maxai.faults.set({ errorRate: 1 });
      sandbox.reset();
      const res = await call(`${maxai.url}/v2/tasks/${maxai.seed.example.taskId}`, {
        headers: {
          authorization: `Bearer ${maxai.credentials.apiKey}`,
          "x-organization-id": maxai.credentials.organizationId,
        },
      });
      expect(res.status).toBe(200);
      expect(maxai.requests.count()).toBe(1);
      const capyRes = await call(`${capy.url}/v1/tasks/${capy.seed.example.taskId}`, {
        headers: { authorization: `Bearer ${capy.credentials.token}` },
      });
      expect(capyRes.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  });
});

/**
 * A sandbox with Maxsight on a port just freed by another sandbox. Tests in other processes may take that port in
 * between (the suite runs packages in parallel), so a port lost that way is tried again with a fresh one.
 */
async function startOnFreedPort(attempts = 5): Promise<{ port: number; fixed: Sandbox }> {
  for (let attempt = 1; ; attempt++) {
    const free = await startSandbox();
    const port = free.vendors.maxsight.port;
    await free.close();
    try {
      return { port, fixed: await startSandbox({ ports: { maxsight: port } }) };
    } catch (error) {
      if ((error as { code?: string }).code !== "EADDRINUSE" || attempt === attempts) throw error;
    }
  }
}
