import { NoSchemaIntrospectionCustomRule } from "graphql";
import type { Plugin } from "graphql-yoga";

/** Refuses `__schema` and `__type` in validation (production default): the schema is published as SDL instead. */
export function disableIntrospectionPlugin<C extends object>(): Plugin<C> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
