import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BurstResult, FixedRateResult, LoadTarget } from "./load.ts";

export type LoadJob =
  | { kind: "fixedRate"; target: LoadTarget; options: { rate: number; seconds: number; connections: number } }
  | { kind: "bursts"; target: LoadTarget; options: { size: number; count: number; gapMs: number } };

export interface LoadProcess {
  pid: number;
  fixedRate(target: LoadTarget, options: Extract<LoadJob, { kind: "fixedRate" }>["options"]): Promise<FixedRateResult>;
  bursts(target: LoadTarget, options: Extract<LoadJob, { kind: "bursts" }>["options"]): Promise<BurstResult>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL("./load-main.ts", import.meta.url));

/**
 * A fresh process for the open-loop load: after minutes of autocannon the bench's own heap pauses for tens of ms,
 * and requests held up by the generator's pause arrive together and stretch both systems' tails.
 */
export function startLoadProcess(): LoadProcess {
  const child = fork(SCRIPT, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let pending: { resolve(value: unknown): void; reject(error: Error): void } | undefined;
  child.on("message", (result) => {
    pending?.resolve(result);
    pending = undefined;
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      pending?.reject(new Error(`the load generator exited (code ${code}, signal ${signal})`));
      pending = undefined;
      resolve();
    }),
  );
  const run = <T>(job: LoadJob) =>
    new Promise<T>((resolve, reject) => {
      pending = { resolve: resolve as (value: unknown) => void, reject };
      child.send(job);
    });
  return {
    pid: child.pid as number,
    fixedRate: (target, options) => run({ kind: "fixedRate", target, options }),
    bursts: (target, options) => run({ kind: "bursts", target, options }),
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
