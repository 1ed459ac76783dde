import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { App } from "./app.ts";

export interface ServerOptions {
  app: App;
  port: number;
  host?: string;
  /** Until the request headers have arrived (default 10000). */
  headersTimeoutMs?: number;
  /** Until the whole request, body included, has arrived (default 30000). */
  requestTimeoutMs?: number;
  /** Open connections at most; more are closed as they arrive (default 1024). */
  maxConnections?: number;
  /**
   * After close() is called, how long /readyz answers 503 while requests are still served, so load balancers take
   * the instance out before its listener closes (default 0).
   */
  drainDelayMs?: number;
  /** Then how long in-flight requests may finish before their connections are cut (default 10000). */
  shutdownGraceMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:4000 */
  origin: string;
  /** Drains: readiness 503 for the drain delay, stop accepting, let in-flight requests finish, close the app. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const server = createServer(
    {
      keepAliveTimeout: 5_000,
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      // Node checks those two timeouts on this interval (default 30 s), so they would fire up to that much late.
      connectionsCheckingInterval: 1_000,
    },
    app.listener,
  );
  server.on("clientError", app.clientError);
  server.maxConnections = options.maxConnections ?? 1024;
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
        app.drain();
        if (options.drainDelayMs) await sleep(options.drainDelayMs);
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
