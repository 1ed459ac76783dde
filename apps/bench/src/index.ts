export { type RawResults, runBench } from "./bench.ts";
export { parseCli } from "./cli.ts";
export { type BenchOptions, DEFAULTS, QUICK } from "./options.ts";
export { createProxy, type ProxyOptions } from "./proxy.ts";
export { markdown, type Summary, summarize } from "./report.ts";
