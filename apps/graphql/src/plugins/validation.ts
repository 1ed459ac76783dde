import type { DocumentNode, ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import { badUserInput } from "../errors.ts";

/**
 * graphql-js stops validating a document whose fields cost it more than a fixed budget of work to compare (every two
 * selections under one response name), and says only "Validation aborted.". This says why and what to keep to. (Its
 * other budget, for following fragment spreads, ends the same way; no document within the token limit was found to
 * reach it.)
 */
export const VALIDATION_ABORTED =
  "Validation aborted: checking that this document's fields can be merged took more work than graphql-js allows " +
  "(it compares every two selections of a field under one response name). Select each field once per selection " +
  "set: about 700 selections of one field in one selection set are too many.";

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
      return ({ result, setResult }) => {
        const explained = result.map((error) =>
          error.message === "Validation aborted." ? badUserInput(VALIDATION_ABORTED) : error,
        );
        setResult(explained);
        results.set(document, explained);
      };
    },
  };
}
