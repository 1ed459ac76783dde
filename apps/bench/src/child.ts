import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Child<T> {
  pid: number;
  /** What the child printed as its first stdout line (JSON). */
  ready: T;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Written to the child's stdin, then stdin is closed (keeps credentials out of argv and the environment). */
  input?: unknown;
  execArgv?: readonly string[];
  env?: Record<string, string>;
  /** Give up waiting for the ready line after this long. */
  timeoutMs?: number;
}

/**
 * Starts `node <script>` and waits for the first line it prints on stdout, parsed as JSON.
 * The rest of stdout is drained (never read) so a chatty child cannot block on a full pipe.
 */
export function spawnChild<T>(script: string, options: SpawnOptions = {}): Promise<Child<T>> {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script], {
    stdio: ["pipe", "pipe", "inherit"],
    ...(options.env ? { env: options.env } : {}),
  });
  if (options.input !== undefined) child.stdin?.end(JSON.stringify(options.input));
  else child.stdin?.end();
  return new Promise<Child<T>>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => fail(new Error(`${script} printed nothing within ${options.timeoutMs ?? 15_000} ms`)),
      options.timeoutMs ?? 15_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.once("error", fail);
    child.once("exit", (code, signal) =>
      fail(new Error(`${script} exited before it was ready (code ${code}, signal ${signal})`)),
    );
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.removeAllListeners("error");
      lines.close();
      child.stdout?.resume();
      let ready: T;
      try {
        ready = JSON.parse(line) as T;
      } catch {
        fail(new Error(`${script}: first stdout line is not JSON: ${line.slice(0, 200)}`));
        return;
      }
      resolve({ pid: child.pid as number, ready, stop: () => stopChild(child) });
    });
  });
}

/** Starts a process whose readiness is known by polling (e.g. an HTTP health route) instead of a stdout line. */
export async function spawnPolled(
  script: string,
  isReady: () => Promise<boolean>,
  options: SpawnOptions = {},
): Promise<Omit<Child<undefined>, "ready">> {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script], {
    stdio: ["ignore", "ignore", "inherit"],
    ...(options.env ? { env: options.env } : {}),
  });
  let exited: string | undefined;
  child.once("exit", (code, signal) => {
    exited = `code ${code}, signal ${signal}`;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!(await isReady().catch(() => false))) {
    if (exited) throw new Error(`${script} exited before it was ready (${exited})`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${script} was not ready within ${options.timeoutMs ?? 20_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { pid: child.pid as number, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Reads all of stdin as JSON (how the parent hands a child its configuration). */
export async function readStdinJson<T>(): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
}
