import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { App, ServerContext } from "./app.ts";
import { LazyRequestLogger } from "./logger.ts";

export interface ServerOptions {
  app: App;
  logger: Logger;
  port: number;
  host?: string;
  /** Bodies above this are refused with 413 before anything reads them. */
  maxBodyBytes?: number;
  /** How long in-flight requests may finish after SIGTERM before their connections are cut. */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:4000 */
  origin: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the vendor clients. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** HTTP around the GraphQL app: request ids, access logs, health, readiness and the body size limit. */
export function createRequestListener(options: {
  app: App;
  logger: Logger;
  maxBodyBytes: number;
  isReady: () => boolean;
}) {
  const { app, logger, maxBodyBytes, isReady } = options;
  // Access lines have fixed fields and no headers, so they skip the path redaction (3.4 µs of 4.6 per line);
  // the logger's secret scrubbing still applies to them.
  const access = logger.child({}, { redact: { paths: [] } });
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    const log = new LazyRequestLogger(logger, requestId);
    res.setHeader("x-request-id", requestId);
    const context: ServerContext = { requestId, log, auth: {} };
    res.once("finish", () => {
      access.info(
        {
          reqId: requestId,
          method: req.method,
          path: (req.url ?? "/").split("?")[0],
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          tenant: context.auth.tenant?.id,
        },
        "request",
      );
    });
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      json(res, 200, { status: "ok" });
      return;
    }
    if (path === "/readyz") {
      // Degraded (Redis unreachable) still answers 200: taking every instance out of the load balancer
      // because of Redis would turn a weaker guarantee into an outage.
      if (!isReady()) json(res, 503, { status: "draining" });
      else json(res, 200, app.readiness?.() ?? { status: "ready" });
      return;
    }
    const length = Number(req.headers["content-length"] ?? 0);
    if (Number.isFinite(length) && length > maxBodyBytes) {
      res.setHeader("connection", "close");
      json(res, 413, {
        errors: [
          { message: `Request body is larger than ${maxBodyBytes} bytes.`, extensions: { code: "BAD_USER_INPUT" } },
        ],
      });
      return;
    }
    app.handle(req, res, context).catch((error: unknown) => {
      log.error({ err: error }, "request failed");
      if (!res.headersSent)
        json(res, 500, { errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else res.destroy();
    });
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app, logger } = options;
  let ready = true;
  const server = createServer(
    { keepAliveTimeout: 5_000, requestTimeout: 30_000, headersTimeout: 10_000 },
    createRequestListener({ app, logger, maxBodyBytes: options.maxBodyBytes ?? 100 * 1024, isReady: () => ready }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: address.port,
    origin: `http://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${address.port}`,
    close() {
      closing ??= (async () => {
        ready = false;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
        grace.unref();
        await closed;
        clearTimeout(grace);
        await app.close();
      })();
      return closing;
    },
  };
}
