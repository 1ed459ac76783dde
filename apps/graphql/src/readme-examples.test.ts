import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The READMEs whose examples call the packages directly (the service's test suite owns the READMEs, see turbo.json). */
const READMES = [
  "packages/model/README.md",
  "packages/vendors/maxai/README.md",
  "packages/vendors/cakewalk/README.md",
  "packages/vendors/capy/README.md",
  "packages/vendors/maxsight/README.md",
];
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
// Under this app's node_modules, so the examples resolve every @taskbridge package as a user's code would.
const CACHE = fileURLToPath(new URL("../node_modules/.cache/", import.meta.url));
mkdirSync(CACHE, { recursive: true });
const dir = mkdtempSync(join(CACHE, "readme-examples-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Example {
  file: string;
  readme: string;
  /** The README line of the block's first line of code. */
  line: number;
}

/** Every ```ts block of `readme` as a module of its own. */
function examples(readme: string): Example[] {
  const text = readFileSync(join(ROOT, readme), "utf8");
  const found: Example[] = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const file = `${readme.replace(/\/README\.md$/, "").replaceAll("/", "-")}-${found.length + 1}.mts`;
    writeFileSync(join(dir, file), match[1] ?? "");
    found.push({ file, readme, line: text.slice(0, match.index).split("\n").length + 1 });
  }
  return found;
}

/** tsc's diagnostics, each pointed at the README line it is about. */
function typeErrors(all: readonly Example[]): string[] {
  const files = all.map((example) => example.file);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: join(ROOT, "tsconfig.base.json"), files }));
  try {
    execFileSync(process.execPath, [TSC, "-p", "."], { cwd: dir, encoding: "utf8" });
    return [];
  } catch (error) {
    const output = (error as { stdout?: string }).stdout || String(error);
    return output
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const at = /^(\S+\.mts)\((\d+),\d+\): (.*)$/.exec(line);
        const example = all.find((e) => e.file === at?.[1]);
        return example && at ? `${example.readme}:${example.line + Number(at[2]) - 1}: ${at[3]}` : line;
      });
  }
}

describe("the packages' README examples", () => {
  it("are code that type-checks against the packages, with the workspace's compiler options", () => {
    const all = READMES.flatMap(examples);
    expect(all.map((example) => example.readme)).toEqual(expect.arrayContaining(READMES));
    expect(typeErrors(all)).toEqual([]);
  });
});
