import type { Vendor } from "@taskbridge/model";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { CallPlan } from "../budget.ts";
import type { GraphQLContext } from "../context.ts";

/** One vendor call a field will make; `read` names a task read, which the request makes once however often asked. */
export interface PlannedCall {
  vendor: Vendor;
  read?: string;
}

/** A root field's `extensions.vendorCalls`: the calls it will make, from its coerced arguments. */
export type VendorCallsOf = (args: Record<string, unknown>) => readonly PlannedCall[];

/**
 * Before an operation runs: coerces its variables (graphql-js's own errors, whichever executor runs next), then
 * adds up the vendor calls its root fields declare — every field and alias, refs given in variables included —
 * and refuses the whole operation when the request's budget cannot pay for them. Nothing is called then.
 */
export function vendorCallPlanPlugin(): Plugin<GraphQLContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, {
        maxErrors: 50,
      });
      if (variables.errors) return setResultAndStopExecution({ errors: variables.errors });
      const plan = planCalls(args.schema, args.document, operation, variables.coerced);
      const refusal = (args.contextValue as GraphQLContext).budget.check(plan);
      if (refusal) setResultAndStopExecution({ errors: [refusal] as never });
    },
  };
}

export function planCalls(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): CallPlan {
  const plan: CallPlan = { reads: new Set(), calls: new Map() };
  const root = schema.getRootType(operation.operation);
  if (!root) return plan;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  for (const node of rootFields(operation.selectionSet, fragments, new Set())) {
    const field = root.getFields()[node.name.value];
    const vendorCalls = field?.extensions.vendorCalls as VendorCallsOf | undefined;
    if (!field || !vendorCalls) continue;
    for (const call of vendorCalls(getArgumentValues(field, node, variables))) {
      if (call.read !== undefined) {
        if (plan.reads.has(call.read)) continue;
        plan.reads.add(call.read);
      }
      plan.calls.set(call.vendor, (plan.calls.get(call.vendor) ?? 0) + 1);
    }
  }
  return plan;
}

/** The root fields an operation selects, through fragments; @skip/@include are ignored (counting more, not less). */
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
