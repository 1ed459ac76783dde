import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { printedSchema } from "./schema.ts";

const SCHEMA_FILE = fileURLToPath(new URL("../schema.graphql", import.meta.url));

describe("schema.graphql", () => {
  it("is the SDL the code builds (regenerate with `npm run schema:print`)", () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(
      committed,
      "apps/graphql/schema.graphql is stale: run `npm run schema:print` (it also syncs the client's copy)",
    ).toBe(printedSchema());
  });

  it("describes what a client branches on: every error code and status, every field of tasks, errors and pages", () => {
    const schema = buildSchema(printedSchema());
    const undescribed: string[] = [];
    for (const name of ["ErrorCode", "TaskStatus", "RateLimitedBy", "TaskAction", "Vendor"]) {
      const type = schema.getType(name);
      if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
      for (const value of type.getValues()) if (!value.description) undescribed.push(`${name}.${value.name}`);
    }
    const objects = ["Task", "TaskError", "PageInfo", "TaskConnection", "TaskEdge", "CapyCreateTaskInput"];
    for (const name of objects) {
      const type = schema.getType(name);
      if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) throw new Error(name);
      for (const field of Object.values(type.getFields()))
        if (!field.description) undescribed.push(`${name}.${field.name}`);
    }
    expect(undescribed).toEqual([]);
  });
});
