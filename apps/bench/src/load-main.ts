/**
 * The load generator of the latency and burst runs, as its own process (see load-process.ts): runs one job at a
 * time as the parent sends them over IPC and answers with the result; exits when the parent goes away.
 */
import { bursts, fixedRate } from "./load.ts";
import type { LoadJob } from "./load-process.ts";

process.on("message", async (job: LoadJob) => {
  const result =
    job.kind === "fixedRate" ? await fixedRate(job.target, job.options) : await bursts(job.target, job.options);
  process.send?.(result);
});
process.on("disconnect", () => process.exit(0));
