// Checks this package's pact against the hand-transcribed Maxsight v5 document: `node compare-openapi.ts`
// (after the pact test has written pact/pacts/taskbridge-maxsight.json). CI runs the same check in pact/.
// The comparator and yaml are the contracts package's dependencies, so they are resolved from there.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const require = createRequire(`${root}pact/package.json`);
const { Comparator } = require("@pactflow/openapi-pact-comparator");
const { parse } = require("yaml");

interface Result {
  type: string;
  code: string;
  message: string;
  mockDetails?: { location?: string };
}

const spec = parse(readFileSync(`${root}pact/openapi/maxsight-v5.transcribed.yaml`, "utf8"));
const pact = JSON.parse(readFileSync(`${root}pact/pacts/taskbridge-maxsight.json`, "utf8"));

async function compare(oas: unknown): Promise<Result[]> {
  const results: Result[] = [];
  for await (const result of new Comparator({ oas: structuredClone(oas) }).compare(pact)) results.push(result);
  return results;
}

function print(title: string, results: Result[]): void {
  console.log(`${title}: ${results.length} result(s)`);
  for (const r of results) console.log(`  ${r.type} ${r.code} at ${r.mockDetails?.location ?? "?"}: ${r.message}`);
}

// The comparator ignores OAS3 `servers`: its router prefixes paths only with info["x-opc-config-base-path"] or a
// Swagger 2 `basePath`. So the document as written (servers …/v5, path /tasks/{task_id}) cannot match /v5/tasks/….
print("as written (servers ignored by the comparator)", await compare(spec));

// What pact/src/merge-openapi.ts does for CI: put the first server's path in front of every path.
const base = new URL(spec.servers[0].url).pathname.replace(/\/+$/, "");
const prefixed = {
  ...spec,
  paths: Object.fromEntries(Object.entries(spec.paths).map(([path, item]) => [base + path, item])),
};
const results = await compare(prefixed);
print(`with the server path ${base} applied to the paths`, results);
if (results.some((r) => r.type === "error")) process.exitCode = 1;
