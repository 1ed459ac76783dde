import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import type { GraphQLError, ValidationContext, ValidationRule } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Limits } from "../app.ts";
import { badUserInput } from "../errors.ts";

/**
 * How graphql-armor refuses: BAD_USER_INPUT in its own words ("Query depth limit of 8 exceeded, found 9."), without
 * the "Syntax Error: " it puts before every refusal, which has no option to turn off: these are not syntax errors.
 * A validation rule's refusal is reported like any other validation error; the token limit, met while parsing, ends
 * the parse.
 */
const refusal = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      const refused = badUserInput(error.message.replace(/^Syntax Error: /, ""));
      if (context === null) throw refused;
      context.reportError(refused);
    },
  ],
};

/** The token limit, counted by graphql-armor's parser as it reads the document. */
export function tokenLimit<C extends object>(limits: Limits): Plugin<C> {
  return maxTokensPlugin({ n: limits.tokens, ...refusal }) as Plugin<C>;
}

/** The other limits, as validation rules. */
export function limitRules(limits: Limits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.depth, flattenFragments: true, ...refusal }),
    maxAliasesRule({ n: limits.aliases, ...refusal }),
    maxDirectivesRule({ n: limits.directives, ...refusal }),
    costLimitRule({ maxCost: limits.cost, ...refusal }),
  ];
}
