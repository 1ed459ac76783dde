import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { VendorContractViolationError } from "@taskbridge/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.ts";
import listed from "./fixtures/list-tasks-v4.json" with { type: "json" };

// A loopback server that answers every request with `body`, so the documented example and broken variants of it
// can be served as they are.
let server: Server;
let body: unknown = listed;
const queries: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    queries.push(req.url ?? "");
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
    apiKey: "max_dev_ak_unit",
    organizationId: "org_unit",
  });
}

describe("listTasks against the documented example", () => {
  it("maps page 1 of 3 (250 tasks): the task, the count, and a next page", async () => {
    body = listed;
    const maxai = client();
    try {
      const page = await maxai.listTasks({ pageSize: 100 });
      expect(page.items.map((i) => i.task)).toMatchObject([
        {
          id: "tsk_a1b2c3d456784abc9def0123456789ab",
          vendorStatus: "not_started",
          updatedAt: "2026-03-23T03:15:47.285Z",
        },
      ]);
      expect(page.totalCount).toBe(250);
      expect(page.next).not.toBeNull();
      // The documented page 1 again, for page 2: its tasks are not at the offsets asked for.
      const again = await maxai.listTasks({ pageSize: 100, position: page.next }).catch((error: unknown) => error);
      expect(queries.at(-1)).toBe("/v4/tasks?page=2&pageSize=100");
      expect(again).toBeInstanceOf(VendorContractViolationError);
      expect(again).toMatchObject({ field: "pagination.page", status: 200 });
      body = { ...listed, data: { ...listed.data, pagination: { ...listed.data.pagination, page: 2 } } };
      expect((await maxai.listTasks({ pageSize: 100, position: page.next })).items).toHaveLength(1);
    } finally {
      await maxai.close();
    }
  });

  it("refuses a page of another size than asked: its tasks are not at the offsets asked for", async () => {
    // The documented example is a page of 100; asked for 20 a page, a vendor answering 100 (or capping below what
    // was asked) would put page 2's tasks at offsets 20–39 while they are 100–199: 80 tasks skipped, silently.
    body = listed;
    const maxai = client();
    try {
      const error = await maxai.listTasks({ pageSize: 20 }).catch((caught: unknown) => caught);
      expect(queries.at(-1)).toBe("/v4/tasks?page=1&pageSize=20");
      expect(error).toBeInstanceOf(VendorContractViolationError);
      expect(error).toMatchObject({ field: "pagination.pageSize", status: 200 });
    } finally {
      await maxai.close();
    }
  });

  it("reports a task it cannot read and still returns the others", async () => {
    const good = listed.data.tasks[0] as Record<string, unknown>;
    body = {
      ...listed,
      data: {
        ...listed.data,
        tasks: [
          good,
          { ...good, id: "task 7" },
          { ...good, id: "tsk_00000000000040008000000000000001", updatedAt: "soon" },
        ],
      },
    };
    const maxai = client();
    try {
      const page = await maxai.listTasks({ pageSize: 100 });
      // An unreadable timestamp costs its field only; an unreadable id, the entry.
      expect(page.items.map((i) => [i.task.id, i.task.updatedAt])).toEqual([
        ["tsk_a1b2c3d456784abc9def0123456789ab", expect.any(String)],
        ["tsk_00000000000040008000000000000001", null],
      ]);
      expect(page.items[1]?.task.problems?.updatedAt).toMatchObject({ field: "updatedAt", status: 200 });
      expect(page.unreadable).toHaveLength(1);
      expect(page.unreadable[0]).toBeInstanceOf(VendorContractViolationError);
      expect(page.unreadable[0]).toMatchObject({ field: "id", status: 200 });
      expect(JSON.stringify(page.unreadable)).not.toContain("task 7");
    } finally {
      await maxai.close();
    }
  });

  it("fails the page when the envelope itself breaks the contract", async () => {
    body = { code: "success", data: { tasks: [] } };
    const maxai = client();
    try {
      await expect(maxai.listTasks({ pageSize: 10 })).rejects.toBeInstanceOf(VendorContractViolationError);
    } finally {
      await maxai.close();
    }
  });
});
