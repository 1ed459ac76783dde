import { lexicographicSortSchema, printSchema } from "graphql";
import { builder } from "./builder.ts";
import "./schema/vendor.ts";
import "./schema/task-status.ts";
import "./schema/errors.ts";
import "./schema/person.ts";
import "./schema/assignee.ts";
import "./schema/task-action.ts";
import "./schema/task.ts";
import "./schema/maxai-task.ts";
import "./schema/cakewalk-task.ts";
import "./schema/capy-task.ts";
import "./schema/maxsight-task.ts";
import "./schema/query.ts";
import "./schema/mutation.ts";
import "./schema/task-list.ts";
import "./schema/task-actions.ts";

/** Built once per process. */
export const schema = builder.toSchema();

/** The SDL committed as apps/graphql/schema.graphql (sorted, so it diffs cleanly). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
