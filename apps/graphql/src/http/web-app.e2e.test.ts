import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../e2e-support.ts";

let sandbox: Sandbox;
let stack: Stack;
const root = mkdtempSync(join(tmpdir(), "web-app-"));
const dir = join(root, "dist");

beforeAll(async () => {
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dir, "assets", "app-1a2b.js"), "console.log(1)");
  writeFileSync(join(root, "secret.txt"), "not for you");
  sandbox = await startSandbox();
  stack = await startStack({ sandbox, app: { webApp: { dir, config: { graphqlUrl: "/graphql", apiKey: "k" } } } });
});
afterAll(async () => {
  await stack.close();
  await sandbox.close();
});

const get = (path: string) => fetch(stack.server.origin + path, { redirect: "manual" });

describe("the example app, served beside the API", () => {
  it("serves its page, its hashed assets (cached for good) and its config", async () => {
    const page = await get("/app/");
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(await page.text()).toContain("<title>app</title>");
    const asset = await get("/app/assets/app-1a2b.js");
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await (await get("/app/config.json")).json()).toEqual({ graphqlUrl: "/graphql", apiKey: "k" });
  });

  it("answers the app's own routes with its page, and /app with a redirect", async () => {
    expect(await (await get("/app/find/task")).text()).toContain("<title>app</title>");
    const bare = await get("/app");
    expect({ status: bare.status, location: bare.headers.get("location") }).toEqual({ status: 308, location: "/app/" });
  });

  it("reads nothing outside its directory", async () => {
    for (const path of ["/app/../secret.txt", "/app/%2e%2e/secret.txt", "/app/..%2fsecret.txt", "/app/missing.js"]) {
      const response = await get(path);
      expect(await response.text()).not.toContain("not for you");
    }
    const missing = await get("/app/missing.js");
    expect(missing.status).toBe(404);
    expect((await missing.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("answers GET and HEAD only, like /healthz and /readyz: 405 in JSON for the rest", async () => {
    for (const path of ["/app/", "/app/config.json", "/healthz", "/readyz"]) {
      const response = await fetch(stack.server.origin + path, { method: "POST" });
      expect({ path, status: response.status, allow: response.headers.get("allow") }).toEqual({
        path,
        status: 405,
        allow: "GET, HEAD",
      });
      expect((await response.json()).errors[0].extensions.code).toBe("BAD_USER_INPUT");
    }
    expect((await fetch(`${stack.server.origin}/healthz`, { method: "HEAD" })).status).toBe(200);
  });
});
