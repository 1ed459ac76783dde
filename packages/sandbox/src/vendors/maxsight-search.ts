import type { SortKey } from "../paging.ts";
import type { MaxsightTask } from "./maxsight-seed.ts";

/** The documented `sorting_field` values and the task field each sorts by. */
export const SORTING_FIELDS: Readonly<Record<string, (task: MaxsightTask) => string | null>> = {
  TASK_ID: (t) => t.id,
  CREATED_AT: (t) => t.created_at,
  ENTITY_ID: (t) => t.entity_id,
  ASSESSMENT_ID: (t) => t.assessment_id,
  STATUS: (t) => t.status,
  ASSIGNED_TO_ID: (t) => t.assignment?.assigned_to_id ?? null,
};

export function sortKey(task: MaxsightTask, field: string): SortKey {
  return [SORTING_FIELDS[field]?.(task) ?? null, task.id];
}

/**
 * The columns a filter model may name: the task's own fields, plus the assignment's as top-level columns. The docs
 * name no columns (their examples use `status`), so this list is the sandbox's reading.
 */
const COLUMNS: Readonly<Record<string, (task: MaxsightTask) => string | number | null>> = {
  id: (t) => t.id,
  status: (t) => t.status,
  name: (t) => t.name,
  c_name: (t) => t.c_name,
  step_name: (t) => t.step_name,
  entity_id: (t) => t.entity_id,
  assessment_id: (t) => t.assessment_id,
  workflow_instance_id: (t) => t.workflow_instance_id,
  institution_id: (t) => t.institution_id,
  assigned_to_id: (t) => t.assignment?.assigned_to_id ?? null,
  assigned_to_type: (t) => t.assignment?.assigned_to_type ?? null,
  data_version: (t) => t.data_version,
  created_at: (t) => t.created_at,
  updated_at: (t) => t.updated_at,
  locked_at: (t) => t.locked_at,
};

type Condition = Record<string, unknown>;
export type TaskPredicate = (task: MaxsightTask) => boolean;

/**
 * An AG Grid filter model (`{column: condition}`, every column must match) as a predicate, or the message of a
 * 400 when it is not one the search accepts: text, number, set and date filters, and two or more conditions joined
 * by `operator` AND / OR.
 * @see https://docs.maxsight.com/en/task-search-filter-model-structure.html
 */
export function compileFilterModel(model: unknown): TaskPredicate | string {
  if (model === null || model === undefined) return () => true;
  if (!isObject(model)) return "filter_model must be an object";
  const predicates: TaskPredicate[] = [];
  for (const [column, condition] of Object.entries(model)) {
    const read = COLUMNS[column];
    if (!read) return `Unknown filter field '${column}'`;
    const test = compileCondition(condition, column);
    if (typeof test === "string") return test;
    predicates.push((task) => test(read(task)));
  }
  return (task) => predicates.every((p) => p(task));
}

type ValueTest = (value: string | number | null) => boolean;

function compileCondition(condition: unknown, column: string): ValueTest | string {
  if (!isObject(condition)) return `Filter for '${column}' must be an object`;
  if (Array.isArray(condition.conditions)) {
    const parts = condition.conditions.map((c) => compileCondition(c, column));
    const bad = parts.find((p) => typeof p === "string");
    if (bad !== undefined) return bad;
    const tests = parts as ValueTest[];
    if (condition.operator === "AND") return (v) => tests.every((t) => t(v));
    if (condition.operator === "OR") return (v) => tests.some((t) => t(v));
    return `Filter for '${column}': operator must be AND or OR`;
  }
  switch (condition.filterType) {
    case "set":
      return setCondition(condition, column);
    case "text":
      return textCondition(condition, column);
    case "number":
      return rangeCondition(
        condition,
        column,
        (c, key) => (typeof c[key] === "number" ? (c[key] as number) : undefined),
        Number,
      );
    case "date":
      return rangeCondition(
        condition,
        column,
        (c, key) => dateValue(c[key === "filter" ? "dateFrom" : "dateTo"]),
        (v) => dateValue(v),
      );
    default:
      return `Filter for '${column}': unsupported filterType ${JSON.stringify(condition.filterType)}`;
  }
}

function setCondition(condition: Condition, column: string): ValueTest | string {
  const { values } = condition;
  if (!Array.isArray(values) || !values.every((v) => typeof v === "string" || v === null)) {
    return `Set filter for '${column}' needs values`;
  }
  return (v) => values.includes(v === null ? null : String(v));
}

const TEXT_TESTS: Record<string, (value: string, filter: string) => boolean> = {
  equals: (v, f) => v === f,
  notEqual: (v, f) => v !== f,
  contains: (v, f) => v.includes(f),
  notContains: (v, f) => !v.includes(f),
  startsWith: (v, f) => v.startsWith(f),
  endsWith: (v, f) => v.endsWith(f),
};

function textCondition(condition: Condition, column: string): ValueTest | string {
  const type = String(condition.type);
  if (type === "blank") return (v) => v === null || v === "";
  if (type === "notBlank") return (v) => v !== null && v !== "";
  const test = TEXT_TESTS[type];
  if (!test || typeof condition.filter !== "string") return `Text filter for '${column}' is not valid`;
  const filter = condition.filter.toLowerCase();
  return (v) => v !== null && test(String(v).toLowerCase(), filter);
}

const RANGE_TESTS: Record<string, (value: number, from: number, to: number | undefined) => boolean> = {
  equals: (v, f) => v === f,
  notEqual: (v, f) => v !== f,
  greaterThan: (v, f) => v > f,
  greaterThanOrEqual: (v, f) => v >= f,
  lessThan: (v, f) => v < f,
  lessThanOrEqual: (v, f) => v <= f,
  inRange: (v, f, t) => t !== undefined && v >= f && v <= t,
};

/** Number and date filters: `filter`/`filterTo` numbers, or `dateFrom`/`dateTo` as "YYYY-MM-DD hh:mm:ss". */
function rangeCondition(
  condition: Condition,
  column: string,
  bound: (c: Condition, key: "filter" | "filterTo") => number | undefined,
  toNumber: (v: string | number) => number | undefined,
): ValueTest | string {
  const type = String(condition.type);
  if (type === "blank") return (v) => v === null;
  if (type === "notBlank") return (v) => v !== null;
  const test = RANGE_TESTS[type];
  const from = bound(condition, "filter");
  const to = bound(condition, "filterTo");
  if (!test || from === undefined || (type === "inRange" && to === undefined)) {
    return `${String(condition.filterType)} filter for '${column}' is not valid`;
  }
  return (v) => {
    const value = v === null ? undefined : toNumber(v);
    return value !== undefined && test(value, from, to);
  };
}

/** AG Grid writes dates as `2026-03-01 00:00:00` (local to the grid; UTC here), the tasks as ISO 8601. */
function dateValue(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

function isObject(value: unknown): value is Condition {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
