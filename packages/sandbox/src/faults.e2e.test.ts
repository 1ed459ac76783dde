import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { type Sandbox, startSandbox } from "./sandbox.ts";
import { call, json } from "./testing/http.ts";
import {
  CakewalkProblem,
  CakewalkTaskResponse,
  CapyError,
  CapyTask,
  MaxAiError,
  MaxAiV2TaskResponse,
  MaxsightMessage,
  MaxsightTask,
} from "./testing/wire-schemas.ts";
import type { Vendor } from "./types.ts";

describe("fault injection", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());

  /** A request for a seeded task of each vendor, with valid credentials. */
  const taskRequest = (vendor: Vendor): [string, Record<string, string>] => {
    const { vendors } = sandbox;
    switch (vendor) {
      case "maxai":
        return [
          `${vendors.maxai.url}/v2/tasks/${vendors.maxai.seed.example.taskId}`,
          {
            authorization: `Bearer ${vendors.maxai.credentials.apiKey}`,
            "x-organization-id": vendors.maxai.credentials.organizationId,
          },
        ];
      case "cakewalk":
        return [
          `${vendors.cakewalk.url}/api/v1/Tasks/${vendors.cakewalk.seed.example.taskId}`,
          { "x-api-key": vendors.cakewalk.credentials.apiKey, "x-api-secret": vendors.cakewalk.credentials.apiSecret },
        ];
      case "capy":
        return [
          `${vendors.capy.url}/v1/tasks/${vendors.capy.seed.example.taskId}`,
          { authorization: `Bearer ${vendors.capy.credentials.token}` },
        ];
      case "maxsight":
        return [
          `${vendors.maxsight.url}/v5/tasks/${vendors.maxsight.seed.example.taskId}`,
          { apikey: vendors.maxsight.credentials.apiKey },
        ];
    }
  };
  const fetchTask = (vendor: Vendor, timeoutMs?: number) => {
    const [url, headers] = taskRequest(vendor);
    return call(url, { headers, timeoutMs });
  };

  const TASK_SCHEMAS: Record<Vendor, z.ZodType> = {
    maxai: MaxAiV2TaskResponse,
    cakewalk: CakewalkTaskResponse,
    capy: CapyTask,
    maxsight: MaxsightTask,
  };
  const ERROR_SCHEMAS: Record<Vendor, z.ZodType> = {
    maxai: MaxAiError,
    cakewalk: CakewalkProblem,
    capy: CapyError,
    maxsight: MaxsightMessage,
  };
  const vendors: Vendor[] = ["maxai", "cakewalk", "capy", "maxsight"];

  it.each(vendors)("%s: errorRate answers with the vendor's own 5xx envelope", async (vendor) => {
    sandbox.vendors[vendor].faults.set({ errorRate: 1 });
    const res = await fetchTask(vendor);
    expect(res.status).toBe(503);
    ERROR_SCHEMAS[vendor].parse(JSON.parse(res.text));
    sandbox.vendors[vendor].faults.set({ errorRate: 1, errorStatus: 500 });
    expect((await fetchTask(vendor)).status).toBe(500);
  });

  it.each(vendors)("%s: rateLimit bursts answer 429 with the given Retry-After, then recover", async (vendor) => {
    sandbox.vendors[vendor].faults.set({ rateLimit: { count: 2, retryAfter: "7" } });
    for (let i = 0; i < 2; i++) {
      const res = await fetchTask(vendor);
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("7");
      ERROR_SCHEMAS[vendor].parse(JSON.parse(res.text));
    }
    expect((await fetchTask(vendor)).status).toBe(200);
  });

  it("Max AI's injected 429 carries X-RateLimit-* and an HTTP-date Retry-After verbatim", async () => {
    const date = "Wed, 21 Oct 2026 07:28:00 GMT";
    sandbox.vendors.maxai.faults.set({ rateLimit: { count: 1, retryAfter: date } });
    const res = await fetchTask("maxai");
    expect(res.headers["retry-after"]).toBe(date);
    expect(res.headers["x-ratelimit-remaining"]).toBe("0");
    expect(res.headers["x-ratelimit-reset"]).toMatch(/^\d+$/);
  });

  it.each(vendors)("%s: schemaBreakRate answers 200 with JSON that fails the vendor schema", async (vendor) => {
    sandbox.vendors[vendor].faults.set({ schemaBreakRate: 1 });
    const res = await fetchTask(vendor);
    expect(res.status).toBe(200);
    const body: unknown = JSON.parse(res.text);
    expect(TASK_SCHEMAS[vendor].safeParse(body).success).toBe(false);
  });

  it("answer gives every matching request exactly the canned status, headers and body", async () => {
    const v = sandbox.vendors.maxsight;
    const body = JSON.stringify({ id: v.seed.example.taskId, data_version: 2147483648 });
    v.faults.set({
      match: { method: "GET", path: "/v5/tasks/:id" },
      answer: { status: 200, headers: { "content-type": "application/json", "x-request-id": "r-1" }, body },
    });
    for (let i = 0; i < 2; i++) {
      const res = await fetchTask("maxsight");
      expect(res.status).toBe(200);
      expect(res.headers["x-request-id"]).toBe("r-1");
      expect(res.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
      expect(res.text).toBe(body);
    }
    expect(v.requests.entries().at(-1)).toMatchObject({ status: 200, fault: "answer" });
    // Over the admin route too, and it applies before authentication like every other fault.
    const admin = await json(`${v.origin}/__sandbox/faults`, {
      method: "POST",
      body: { answer: { status: 418, body: "teapot" } },
    });
    expect(admin.status).toBe(200);
    const res = await call(`${v.url}/v5/tasks/${v.seed.example.taskId}`, {});
    expect([res.status, res.text]).toEqual([418, "teapot"]);
  });

  it("malformedJsonRate answers 200 with a complete body that is not JSON", async () => {
    sandbox.vendors.capy.faults.set({ malformedJsonRate: 1 });
    const res = await fetchTask("capy");
    expect(res.status).toBe(200);
    expect(res.received).toBe(Number(res.headers["content-length"]));
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
  });

  it("resetRate destroys the connection without an answer", async () => {
    sandbox.vendors.maxai.faults.set({ resetRate: 1 });
    await expect(fetchTask("maxai")).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(sandbox.vendors.maxai.requests.entries().at(-1)).toMatchObject({ status: 0, fault: "reset" });
  });

  it("lostResponseRate handles a POST (the task is created) and then drops the connection without an answer", async () => {
    const v = sandbox.vendors.capy;
    const headers = { authorization: `Bearer ${v.credentials.token}` };
    const create = () =>
      json(`${v.url}/v1/tasks`, {
        method: "POST",
        headers,
        body: { projectId: v.seed.example.projectId, prompt: "p" },
      });
    const first = (await create()).body as { identifier: string };
    v.faults.set({ match: { method: "POST" }, lostResponseRate: 1 });
    await expect(create()).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(v.requests.entries().at(-1)).toMatchObject({ method: "POST", status: 200, fault: "lost_response" });
    // GETs are not matched, and the next create shows the lost one took a number: it exists.
    expect((await fetchTask("capy")).status).toBe(200);
    v.faults.clear();
    const third = (await create()).body as { identifier: string };
    const number = (identifier: string) => Number(identifier.split("-").at(-1));
    expect(number(third.identifier)).toBe(number(first.identifier) + 2);
  });

  it("openConnections counts the sockets a vendor server holds, hanging ones included", async () => {
    const v = sandbox.vendors.cakewalk;
    const before = await v.openConnections();
    v.faults.set({ hangRate: 1 });
    const hanging = fetchTask("cakewalk", 300).catch(() => undefined);
    while ((await v.openConnections()) <= before) await new Promise((r) => setTimeout(r, 5));
    await hanging; // the client gives up and destroys its socket
    while ((await v.openConnections()) > before) await new Promise((r) => setTimeout(r, 5));
    expect(await v.openConnections()).toBe(before);
  });

  it("hangRate never sends headers", async () => {
    sandbox.vendors.cakewalk.faults.set({ hangRate: 1 });
    await expect(fetchTask("cakewalk", 150)).rejects.toThrow("timeout");
    expect(sandbox.vendors.cakewalk.requests.entries().at(-1)).toMatchObject({ status: 0, fault: "hang" });
  });

  it("latencyMs holds the answer back", async () => {
    sandbox.vendors.maxsight.faults.set({ latencyMs: 5_000 });
    await expect(fetchTask("maxsight", 100)).rejects.toThrow("timeout");
    sandbox.vendors.maxsight.faults.clear();
    expect((await fetchTask("maxsight")).status).toBe(200);
  });

  it("truncateRate sends the headers and part of the body, then drops the connection", async () => {
    sandbox.vendors.maxai.faults.set({ truncateRate: 1 });
    const [url, headers] = taskRequest("maxai");
    const { request } = await import("node:http");
    const outcome = await new Promise<{ status: number; length: number; received: number; error?: string }>(
      (resolve) => {
        const req = request(url, { headers, agent: false }, (res) => {
          let received = 0;
          res.on("data", (chunk: Buffer) => {
            received += chunk.length;
          });
          const done = (error?: string) =>
            resolve({ status: res.statusCode ?? 0, length: Number(res.headers["content-length"]), received, error });
          res.on("error", (e) => done(e.message));
          res.on("end", () => done());
        });
        req.on("error", () => {});
        req.end();
      },
    );
    expect(outcome.status).toBe(200);
    expect(outcome.received).toBeLessThan(outcome.length);
    expect(outcome.error).toBe("aborted");
  });

  it("slowBodyMs sends the body in several pieces", async () => {
    sandbox.vendors.capy.faults.set({ slowBodyMs: 5 });
    const [url, headers] = taskRequest("capy");
    const { request } = await import("node:http");
    const pieces = await new Promise<{ chunks: number; text: string }>((resolve, reject) => {
      const req = request(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ chunks: chunks.length, text: Buffer.concat(chunks).toString() }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(pieces.chunks).toBeGreaterThan(1);
    CapyTask.parse(JSON.parse(pieces.text));
  });

  it("match limits a fault to the matching requests", async () => {
    const v = sandbox.vendors.maxai;
    v.faults.set({ match: { method: "GET", path: "/v4/providers/:id" }, errorRate: 1, errorStatus: 502 });
    expect((await fetchTask("maxai")).status).toBe(200);
    const res = await json(`${v.url}/v4/providers/${v.seed.example.providerId}`, { headers: taskRequest("maxai")[1] });
    expect(res.status).toBe(502);
    v.faults.set({ match: { path: /^\/v2\// }, errorRate: 1 });
    expect((await fetchTask("maxai")).status).toBe(503);
  });

  it("fractional rates come from a seeded PRNG: the same spec gives the same sequence", async () => {
    const run = async () => {
      sandbox.vendors.capy.faults.set({ errorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await fetchTask("capy")).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });
});
