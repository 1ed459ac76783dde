import { initGraphQLTada } from "gql.tada";
import type { introspection } from "./generated/introspection.ts";

/**
 * Writes an operation against Taskbridge's schema: its result and variables are typed by what it selects, at
 * compile time, with no code generation in the app. Fragments are not masked: a spread's fields are on the result.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; JSON: unknown };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, TadaDocumentNode, VariablesOf } from "gql.tada";
