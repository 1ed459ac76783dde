import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";

export interface RedisServer {
  url: string;
  port: number;
  /** Freezes the server (SIGSTOP): connections stay open and commands wait unanswered until resume(). */
  pause(): void;
  resume(): void;
  /** SIGKILL: no shutdown work. A `persist` server started again on its port and dir keeps what it acknowledged. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** A port to listen on, e.g. to restart a server a test stopped (default a free one). */
  port?: number;
  /**
   * Keep every acknowledged write on disk in `dir` (append-only file, fsync always), as a production Redis that
   * idempotency records rely on does; otherwise nothing is persisted.
   */
  persist?: { dir: string };
  /** Clients must AUTH with this password (`redis://:<password>@…`); `url` leaves it out. */
  requirePass?: string;
}

const MISSING =
  "redis-server is not on PATH: run the tests with `npm test` at the repo root, which brings it into " +
  ".toolchain/cache/bin, or put that directory (or a Redis of your own) on PATH.";

/**
 * Starts a throwaway redis-server on a free loopback port (or `port`, e.g. to restart one a test stopped):
 * no persistence, killed by stop(). Throws a clear message when redis-server is not on PATH.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error) throw new Error(MISSING);
  let lastError: unknown;
  // Another process may take the free port between our probe and redis binding it: try a few times.
  for (let tries = 0; tries < 3; tries += 1) {
    const port = options.port ?? (await freePort());
    try {
      const child = await launch(port, options);
      const end = (signal: NodeJS.Signals) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGCONT"); // a paused server would not act on SIGTERM
          child.kill(signal);
        });
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        pause: () => child.kill("SIGSTOP"),
        resume: () => child.kill("SIGCONT"),
        kill: () => end("SIGKILL"),
        stop: () => end("SIGTERM"),
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function launch(port: number, options: RedisServerOptions): Promise<ChildProcess> {
  const persistence = options.persist
    ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", options.persist.dir]
    : ["--appendonly", "no", "--dir", tmpdir()];
  const auth = options.requirePass === undefined ? [] : ["--requirepass", options.requirePass];
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, ...auth];
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", (error) => reject(error.message.includes("ENOENT") ? new Error(MISSING) : error));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
