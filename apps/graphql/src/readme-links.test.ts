import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The READMEs a user follows from the root one (the service's test suite owns the user's guide). */
const READMES = [
  "README.md",
  "apps/graphql/README.md",
  "apps/web/README.md",
  "apps/bench/README.md",
  "packages/model/README.md",
  "packages/http/README.md",
  "packages/client/README.md",
  "packages/sandbox/README.md",
  "packages/vendors/README.md",
  "packages/vendors/maxai/README.md",
  "packages/vendors/cakewalk/README.md",
  "packages/vendors/capy/README.md",
  "packages/vendors/maxsight/README.md",
  "pact/README.md",
];

/** The root package.json's scripts: what `npm run <name>` can run. */
const ROOT_SCRIPTS: Record<string, string> = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;

/** What a README gives to run: each line of its code blocks, and its inline code, white space collapsed. */
function codeIn(text: string): string[] {
  const block = /^```[^\n]*\n([\s\S]*?)^```/gm;
  const blockLines = [...text.matchAll(block)].flatMap(([, body]) => (body ?? "").split("\n"));
  const inline = [...text.replace(block, "").matchAll(/`([^`]+)`/g)].map(([, span]) => span ?? "");
  return [...blockLines, ...inline].map((code) => code.replace(/\s+/g, " ").trim()).filter(Boolean);
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
}

describe("the READMEs", () => {
  it.each(READMES)("%s: every relative link points at a file, and every #anchor at a heading", (readme) => {
    const text = readFileSync(join(ROOT, readme), "utf8");
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^[a-z]+:/.test(target)) continue;
      const [path = "", hash] = target.split("#");
      const file = path === "" ? join(ROOT, readme) : join(ROOT, dirname(readme), path);
      if (!existsSync(file)) {
        broken.push(target);
        continue;
      }
      if (hash && file.endsWith(".md")) {
        const headings = [...readFileSync(file, "utf8").matchAll(/^#+ (.+)$/gm)].map(([, h]) => anchor(h ?? ""));
        if (!headings.includes(hash)) broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(READMES)(
    "%s: every command runs with only Node and npm (no pnpm; `npm run` names a root script)",
    (readme) => {
      const code = codeIn(readFileSync(join(ROOT, readme), "utf8"));
      expect(code.filter((line) => /(^|&& |; )pnpm /.test(line))).toEqual([]);
      const scripts = code.flatMap((line) =>
        [...line.matchAll(/\bnpm run (?:--silent )?([\w:.-]+)/g)].map(([, name]) => name),
      );
      expect(scripts.filter((name) => !(name && name in ROOT_SCRIPTS))).toEqual([]);
    },
  );

  it("the root README stays a short guide", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(250);
  });
});
