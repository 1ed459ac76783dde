import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { cpuSeconds, round } from "./metrics.ts";

export interface MachineInfo {
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  loadavg: number[];
  /**
   * Other processes that used more than 5% of a core during a one-second look before the run, named by program and
   * script only (results are committed; other arguments may hold anything).
   */
  busyProcesses: { pid: number; command: string; cores: number }[];
}

export async function describeMachine(exclude: readonly number[] = []): Promise<MachineInfo> {
  return {
    node: process.version,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    loadavg: loadavg().map((v) => round(v, 2)),
    busyProcesses: await busyProcesses(1000, new Set([process.pid, ...exclude])),
  };
}

/** Samples every process's CPU time twice and keeps those above 5% of a core. */
async function busyProcesses(ms: number, exclude: Set<number>): Promise<MachineInfo["busyProcesses"]> {
  const sample = () => {
    const out = new Map<number, number>();
    for (const name of readdirSync("/proc")) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || exclude.has(pid)) continue;
      try {
        out.set(pid, cpuSeconds(pid));
      } catch {
        // gone meanwhile
      }
    }
    return out;
  };
  const before = sample();
  await new Promise((r) => setTimeout(r, ms));
  const after = sample();
  const busy: MachineInfo["busyProcesses"] = [];
  for (const [pid, cpu] of after) {
    const cores = (cpu - (before.get(pid) ?? cpu)) / (ms / 1000);
    if (cores < 0.05) continue;
    let command = "?";
    try {
      command = commandName(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean));
    } catch {
      // gone meanwhile
    }
    busy.push({ pid, command, cores: round(cores, 2) });
  }
  return busy.sort((a, b) => b.cores - a.cores);
}

/** `node /work/x/apps/graphql/src/main.ts --flag secret` → `node graphql/src/main.ts`. */
export function commandName(argv: readonly string[]): string {
  const [program = "?", ...args] = argv;
  const script = args.find((arg) => !arg.startsWith("-"));
  const name = program.split("/").at(-1) ?? program;
  return script ? `${name} ${script.split("/").slice(-3).join("/")}`.slice(0, 80) : name;
}
