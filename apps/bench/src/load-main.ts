/**
 * The load generator of the latency and burst runs, as its own process (see load-process.ts): runs one job at a
 * time as the parent sends them over IPC and answers with the result; exits when the parent goes away.
 */
import { bursts, fixedRate } from "./load.ts";
import type { LoadJob } from "./load-process.ts";

// A full collection before each job, while no request is due. Left to V8, the generator's first mark-compact (~36
// ms, one V8 flags as collecting external memory) came ~100 s into the latency phase, so inside the same measured
// run every time (Max AI's second, Taskbridge's turn), and the requests it held up counted against the system that
// run measured. After a collection, one job's allocations are far from the next one's trigger.
process.on("message", async (job: LoadJob) => {
  globalThis.gc?.();
  const result =
    job.kind === "fixedRate" ? await fixedRate(job.target, job.options) : await bursts(job.target, job.options);
  process.send?.(result);
});
process.on("disconnect", () => process.exit(0));
