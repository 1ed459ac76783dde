import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { VendorContractViolationError } from "@taskbridge/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";
import detailed from "./fixtures/task.docs-example.json" with { type: "json" };

const USER = "87911b97-ac98-459f-b012-8964894247b6";
// A loopback server answering every request with `body`; what it received is in `seen`.
let server: Server;
let body: unknown;
const seen: { url: string; host: string | undefined; key: string | undefined }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", host: req.headers.host, key: req.headers["x-api-key"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function client() {
  const { port } = server.address() as AddressInfo;
  return createClient({
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey: "ck_unit_key",
    apiSecret: "ck_unit_secret",
  });
}

const page = (next: string | null) => ({
  data: [detailed.data],
  links: { self: `/api/v1/Tasks?userId=${USER}`, next },
});

describe("links.next", () => {
  it("is followed on the configured origin, whatever origin the vendor writes into it", async () => {
    const cakewalk = client();
    try {
      body = page(`https://attacker.example/api/v1/Tasks?userId=${USER}&page%5Bcursor%5D=abc`);
      const first = await cakewalk.listTasks({ scope: USER, pageSize: 10 });
      body = page(null);
      const second = await cakewalk.listTasks({ scope: USER, pageSize: 10, position: first.next });
      expect(second.next).toBeNull();
      const { port } = server.address() as AddressInfo;
      expect(seen.slice(-2)).toEqual([
        { url: `/api/v1/Tasks?userId=${USER}`, host: `127.0.0.1:${port}`, key: "ck_unit_key" },
        { url: `/api/v1/Tasks?userId=${USER}&page%5Bcursor%5D=abc`, host: `127.0.0.1:${port}`, key: "ck_unit_key" },
      ]);
    } finally {
      await cakewalk.close();
    }
  });

  it.each([
    ["another path", "/api/v1/Users?page%5Bcursor%5D=abc"],
    ["another user's tasks", "/api/v1/Tasks?userId=99999999-2d4c-4f7a-9a51-1e2f3a4b5c6d&page%5Bcursor%5D=abc"],
  ])("breaks the contract when it leads anywhere but this user's task list: %s", async (_label, next) => {
    const cakewalk = client();
    try {
      body = page(next);
      const error = await cakewalk.listTasks({ scope: USER, pageSize: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorContractViolationError);
      expect(error).toMatchObject({ detail: "links.next: not a link to this user's task list", field: "links.next" });
    } finally {
      await cakewalk.close();
    }
  });

  it("is absent on the last page, and the documented task maps as a list entry", async () => {
    const cakewalk = client();
    try {
      body = { data: [detailed.data], links: { self: "/api/v1/Tasks" } };
      const last = await cakewalk.listTasks({ scope: USER, pageSize: 10 });
      expect(last.next).toBeNull();
      expect(last.items.map((i) => i.task.id)).toEqual([detailed.data.id]);
    } finally {
      await cakewalk.close();
    }
  });
});
