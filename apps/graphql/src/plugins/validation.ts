import type { DocumentNode, ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * The service's own validation rules (graphql-armor's limits, no introspection in production) added in one hook, and
 * each document's validation result kept for as long as the document lives. The rules and the schema never change
 * after start, so a document's result never does either: yoga's own cache keys results by the rules' names, which
 * it joins into a string on every request.
 */
export function validationPlugin<C extends object>(rules: readonly ValidationRule[]): Plugin<C> {
  const results = new WeakMap<DocumentNode, readonly Error[]>();
  return {
    onValidate({ params, addValidationRule, setResult }) {
      const document = params.documentAST;
      const cached = results.get(document);
      if (cached) return setResult(cached as never);
      for (const rule of rules) addValidationRule(rule);
      return ({ result }) => {
        results.set(document, result);
      };
    },
  };
}
