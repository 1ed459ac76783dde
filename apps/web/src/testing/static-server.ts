import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import type { AppConfig } from "../config.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

export interface AppServer {
  /** e.g. http://127.0.0.1:PORT/app/ */
  url: string;
  /** What /app/config.json answers from now on. */
  setConfig(config: Partial<AppConfig>): void;
  close(): Promise<void>;
}

/**
 * Serves the built app the way the service will: `dist/` under /app/ and /app/config.json beside it. Stands in
 * until the service serves the app itself.
 */
export async function serveApp(dist: string, config: Partial<AppConfig>): Promise<AppServer> {
  let current = config;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/app/config.json") {
      res.writeHead(200, { "content-type": TYPES[".json"] as string });
      res.end(JSON.stringify(current));
      return;
    }
    if (!path.startsWith("/app/")) {
      res.writeHead(404).end();
      return;
    }
    const file = normalize(join(dist, path.slice("/app/".length) || "index.html"));
    if (!file.startsWith(dist)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/app/`,
    setConfig(next) {
      current = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
