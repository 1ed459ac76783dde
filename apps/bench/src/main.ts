/**
 * `npm run bench -- [--quick] [--duration S] …` at the root (see cli.ts for every flag).
 * Prints a markdown table and writes the same figures, with every run, as JSON (see --out in cli.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runBench } from "./bench.ts";
import { parseCli, USAGE } from "./cli.ts";
import { updateReadme } from "./readme.ts";
import { markdown, summarize } from "./report.ts";
import { outputFiles } from "./results.ts";

const resultsDir = fileURLToPath(new URL("../results", import.meta.url));
const readmePath = fileURLToPath(new URL("../README.md", import.meta.url));

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
if (cli.readme) {
  const changed = updateReadme(readmePath, resultsDir);
  process.stdout.write(`README.md: "Latest result" ${changed ? "rendered anew" : "was up to date"}\n`);
  process.exit(0);
}

const raw = await runBench({ ...cli.options, resultsDir }, (line) => process.stderr.write(`${line}\n`));
const summary = summarize(raw);
const json = `${JSON.stringify({ summary, raw }, null, 2)}\n`;
const { files, recorded } = outputFiles(
  {
    out: cli.out,
    quick: cli.options.quick,
    cpuProf: cli.options.cpuProf,
    startedAt: raw.startedAt,
    commit: raw.commit,
  },
  resultsDir,
);
for (const out of files) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
}
const readme = recorded && updateReadme(readmePath, resultsDir) ? '\nREADME.md: "Latest result" rendered from it' : "";
process.stdout.write(`${markdown(summary, raw)}\n\nWritten: ${files.join(", ")}${readme}\n`);
