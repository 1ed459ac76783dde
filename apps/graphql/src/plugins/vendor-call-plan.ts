import type { Vendor } from "@taskbridge/model";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
  valueFromAST,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { CallPlan } from "../budget.ts";
import type { GraphQLContext } from "../context.ts";

/** One vendor call a field will make; `read` names a task read, which the request makes once however often asked. */
export interface PlannedCall {
  vendor: Vendor;
  read?: string;
}

/**
 * A root field's `extensions.vendorCalls`: the calls it will make, from its coerced arguments and the request's
 * context (the tenant's connections; a listing's cursor). Given uncoerced ones (for an upper bound), it must return
 * at least as many calls, or throw.
 */
export type VendorCallsOf = (args: Record<string, unknown>, ctx: GraphQLContext) => readonly PlannedCall[];

/**
 * Before an operation runs: adds up the vendor calls its root fields declare — every field and alias, refs given in
 * variables included — and refuses the whole operation when the request's budget cannot pay for them. Nothing is
 * called then. Most requests are far inside the budget, which an upper bound read from the raw variables proves
 * without coercing them (graphql-jit coerces them again to run); only a request near a limit is planned exactly.
 */
export function vendorCallPlanPlugin(): Plugin<GraphQLContext> {
  const costly = costlyRootFields();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const fields = costly(args.schema, args.document, operation);
      if (fields.length === 0) return;
      const ctx = args.contextValue as GraphQLContext;
      const { budget } = ctx;
      const bound = upperBound(fields, args.variableValues ?? {}, ctx);
      if (bound !== undefined && budget.surelyFits(bound)) return;
      const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, {
        maxErrors: 50,
      });
      if (variables.errors) return setResultAndStopExecution({ errors: variables.errors });
      const refusal = budget.check(planCalls(fields, variables.coerced, ctx));
      if (refusal) setResultAndStopExecution({ errors: [refusal] as never });
    },
  };
}

/**
 * At least as many calls as the fields will make, from uncoerced variables (a list's length does not change when
 * it is coerced, and reads asked twice are counted twice); undefined when the raw values cannot even be read so.
 */
function upperBound(
  fields: readonly CostlyField[],
  variables: Record<string, unknown>,
  ctx: GraphQLContext,
): number | undefined {
  let calls = 0;
  try {
    for (const { rawArguments, vendorCalls } of fields) calls += vendorCalls(rawArguments(variables), ctx).length;
  } catch {
    return undefined;
  }
  return calls;
}

/** A root field of an operation that declares the vendor calls it makes. */
interface CostlyField {
  field: GraphQLField<unknown, unknown>;
  node: FieldNode;
  vendorCalls: VendorCallsOf;
  /** The field's arguments from uncoerced variables (literals coerced once, when the document was first seen). */
  rawArguments(variables: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Reads a field's arguments from uncoerced variables without graphql-js's per-request work: an argument that is a
 * variable takes its raw value (or its default), a literal its value coerced once. A literal holding a variable
 * (`refs: [{ id: $id … }]`) makes the field go the long way.
 */
function rawArgumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode) {
  const given = new Map((node.arguments ?? []).map((arg) => [arg.name.value, arg.value]));
  if ([...given.values()].some((value) => value.kind !== Kind.VARIABLE && print(value).includes("$"))) {
    return (variables: Record<string, unknown>) => getArgumentValues(field, node, variables);
  }
  const fixed: Record<string, unknown> = {};
  const fromVariables: [name: string, variable: string, fallback: unknown][] = [];
  for (const arg of field.args) {
    const value = given.get(arg.name);
    if (value?.kind === Kind.VARIABLE) fromVariables.push([arg.name, value.name.value, arg.defaultValue]);
    else if (value) fixed[arg.name] = valueFromAST(value, arg.type);
    else if (arg.defaultValue !== undefined) fixed[arg.name] = arg.defaultValue;
  }
  return (variables: Record<string, unknown>) => {
    const args = { ...fixed };
    for (const [name, variable, fallback] of fromVariables)
      args[name] = variable in variables ? variables[variable] : fallback;
    return args;
  };
}

/** The plan of an operation's root fields from their coerced arguments. */
export function planCalls(
  fields: readonly CostlyField[],
  variables: Record<string, unknown>,
  ctx: GraphQLContext,
): CallPlan {
  const plan: CallPlan = { reads: new Set(), calls: new Map() };
  for (const { field, node, vendorCalls } of fields) {
    for (const call of vendorCalls(getArgumentValues(field, node, variables), ctx)) {
      if (call.read !== undefined) {
        if (plan.reads.has(call.read)) continue;
        plan.reads.add(call.read);
      }
      plan.calls.set(call.vendor, (plan.calls.get(call.vendor) ?? 0) + 1);
    }
  }
  return plan;
}

/**
 * An operation's root fields that make vendor calls, found once per document (they depend on its text only):
 * every field and alias, through fragments; @skip/@include are ignored (counting more, not less).
 */
function costlyRootFields() {
  const found = new WeakMap<OperationDefinitionNode, readonly CostlyField[]>();
  return (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) => {
    let fields = found.get(operation);
    if (fields) return fields;
    const root = schema.getRootType(operation.operation);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    fields = rootFields(operation.selectionSet, fragments, new Set()).flatMap((node) => {
      const field = root?.getFields()[node.name.value];
      const vendorCalls = field?.extensions.vendorCalls as VendorCallsOf | undefined;
      return field && vendorCalls ? [{ field, node, vendorCalls, rawArguments: rawArgumentsOf(field, node) }] : [];
    });
    found.set(operation, fields);
    return fields;
  };
}

function rootFields(
  set: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): FieldNode[] {
  return set.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    seen.add(fragment.name.value);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}
