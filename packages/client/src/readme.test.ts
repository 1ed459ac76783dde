import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { packagePath } from "../scripts/schema-files.ts";
import { type ErrorCode, isRetryableCode } from "./errors.ts";

const README = readFileSync(packagePath("README.md"), "utf8");
/** The README with its line breaks as spaces, for phrases a wrapped line may split. */
const PROSE = README.replace(/\s+/g, " ");
const INDEX = readFileSync(packagePath("src/index.ts"), "utf8");

/** Every name the package exports, types included, as src/index.ts lists them. */
function exportedNames(): string[] {
  const lists = [...INDEX.matchAll(/^export (?:type )?\{([^}]*)\}/gm)].map(([, list]) => list ?? "");
  return lists.flatMap((list) => list.split(",").map((name) => name.replace(/^\s*type\s+/, "").trim())).filter(Boolean);
}

/** Names the README names as a family rather than one by one. */
const FAMILIES: [RegExp, string][] = [
  [/^[A-Z][a-z]+TaskMutation$/, "one `…TaskMutation` per action"],
  [/^[A-Z][a-z]+TaskInput$/, "each action's input type"],
];

describe("README.md", () => {
  it("names every export of the package", () => {
    const unnamed = exportedNames().filter(
      (name) =>
        !README.includes(`\`${name}\``) &&
        !README.includes(`\`${name}(`) &&
        !FAMILIES.some(([pattern, phrase]) => pattern.test(name) && PROSE.includes(phrase)),
    );
    expect(unnamed).toEqual([]);
  });

  it("lists as retried exactly the codes isRetryableCode accepts", () => {
    const schema = buildSchema(readFileSync(packagePath("schema.graphql"), "utf8"));
    const serviceCodes = (schema.getType("ErrorCode") as GraphQLEnumType).getValues().map((value) => value.name);
    const codes = [...serviceCodes, "NETWORK_ERROR", "BAD_RESPONSE"] as ErrorCode[];
    const retries = README.slice(README.indexOf("## Retries and idempotency")).split("\n\n")[1] ?? "";
    const listed = [...retries.matchAll(/`([A-Z][A-Z_]{3,})`/g)].map(([, code]) => code);
    expect(listed.sort()).toEqual(codes.filter(isRetryableCode).sort());
  });
});
