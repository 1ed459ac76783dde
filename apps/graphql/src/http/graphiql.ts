import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

export interface GraphiQLOptions {
  title?: string;
  /** One tab per example operation, each a document of its own (GraphiQL sends a tab's whole text). */
  tabs?: readonly { query: string; variables?: string }[];
  /** The headers editor's initial JSON, e.g. the demo key in embedded mode. */
  headers?: string;
}

export interface GraphiQLPage {
  send(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * GraphiQL with every asset inside the page (@graphql-yoga/render-graphiql bundles them, ~9 MB), so it works on a
 * machine without internet access. Rendered and gzipped once, on first use.
 */
export function graphiqlPage(endpoint: string, options: GraphiQLOptions): GraphiQLPage {
  let page: { html: Buffer; gzip: Buffer } | undefined;
  const render = () => {
    const html = Buffer.from(
      renderGraphiQL({
        endpoint,
        title: options.title ?? "Taskbridge",
        ...(options.tabs ? { defaultTabs: options.tabs.map((tab) => ({ ...tab })) } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      }),
    );
    return { html, gzip: gzipSync(html) };
  };
  return {
    send(req, res) {
      page ??= render();
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
      const body = gzip ? page.gzip : page.html;
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": body.length,
        vary: "accept-encoding",
        ...(gzip ? { "content-encoding": "gzip" } : {}),
      });
      res.end(body);
    },
  };
}
