import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, relative, sep } from "node:path";

/** Where the example app is served. */
export const WEB_APP_PATH = "/app/";

export interface WebAppOptions {
  /** The built app (apps/web/dist). */
  dir: string;
  /** What `/app/config.json` answers: the GraphQL URL, and the demo key in embedded mode. */
  config: { graphqlUrl: string; apiKey?: string };
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
};

/**
 * The example client app (apps/web), served beside the API: its built files under /app/ (Vite's hashed assets
 * cached for good, the page itself never), its config at /app/config.json, and the page for any other path under
 * /app/ so the app's own routes load. Nothing outside `dir` is ever read. Answers GET and HEAD (the adapter refuses
 * other methods); false when there is no such file, for the adapter's 404.
 */
export function webApp(options: WebAppOptions) {
  const config = JSON.stringify(options.config);
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    if (path === "/app") {
      res.writeHead(308, { location: WEB_APP_PATH }).end();
      return true;
    }
    if (path === `${WEB_APP_PATH}config.json`) {
      res.writeHead(200, { "content-type": TYPES[".json"] as string, "cache-control": "no-cache" }).end(config);
      return true;
    }
    const wanted = join(options.dir, safeDecode(path.slice(WEB_APP_PATH.length)));
    const inside = !relative(options.dir, wanted).startsWith("..");
    const file = inside && extname(wanted) !== "" ? wanted : join(options.dir, "index.html");
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return false;
    }
    const immutable = file.startsWith(join(options.dir, "assets", sep));
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else res.end(body);
    return true;
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
