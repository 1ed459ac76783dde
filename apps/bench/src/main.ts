/**
 * `npm run bench -- [--quick] [--duration S] …` at the root (see cli.ts for every flag).
 * Prints a markdown table and writes the same figures, with every run, to results/latest.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runBench } from "./bench.ts";
import { parseCli, USAGE } from "./cli.ts";
import { markdown, summarize } from "./report.ts";

const resultsDir = fileURLToPath(new URL("../results", import.meta.url));

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
if (cli.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const raw = await runBench({ ...cli.options, resultsDir }, (line) => process.stderr.write(`${line}\n`));
const summary = summarize(raw);
const out = cli.out ?? join(resultsDir, "latest.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ summary, raw }, null, 2)}\n`);
process.stdout.write(`${markdown(summary, raw)}\n\nWritten: ${out}\n`);
