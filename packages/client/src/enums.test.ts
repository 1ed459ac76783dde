import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLEnumType } from "graphql";
import { describe, expect, expectTypeOf, it } from "vitest";
import { packagePath } from "../scripts/schema-files.ts";
import { TASK_STATUSES, VENDORS } from "./enums.ts";
import type { TaskStatus, Vendor } from "./operations.ts";

const schema = buildSchema(readFileSync(packagePath("schema.graphql"), "utf8"));
const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

describe("VENDORS", () => {
  it("lists every value of the Vendor enum", () => {
    expect([...VENDORS].sort()).toEqual(enumValues("Vendor").sort());
    expectTypeOf<(typeof VENDORS)[number]>().toEqualTypeOf<Vendor>();
  });
});

describe("TASK_STATUSES", () => {
  it("lists every value of the TaskStatus enum", () => {
    expect([...TASK_STATUSES].sort()).toEqual(enumValues("TaskStatus").sort());
    expectTypeOf<(typeof TASK_STATUSES)[number]>().toEqualTypeOf<TaskStatus>();
  });
});
