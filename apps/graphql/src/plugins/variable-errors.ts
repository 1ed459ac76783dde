import { type ExecutionArgs, type ExecutionResult, getOperationAST, getVariableValues } from "graphql";
import type { Plugin } from "graphql-yoga";

/**
 * Variables that do not coerce are answered in graphql-js's words whichever executor ran: graphql-jit words them
 * differently, and an answer must not depend on whether a document was compiled yet. Looked at only when nothing
 * ran (no `data`), so a successful request pays nothing.
 */
export function variableErrorsPlugin<C extends object>(): Plugin<C> {
  const hooks = {
    onExecuteDone({ args, result, setResult }: { args: ExecutionArgs; result: unknown; setResult(r: unknown): void }) {
      if (typeof result !== "object" || result === null || "data" in result) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation?.variableDefinitions?.length) return;
      const coerced = getVariableValues(args.schema, operation.variableDefinitions, args.variableValues ?? {}, {
        maxErrors: 50,
      });
      if (coerced.errors) setResult({ errors: coerced.errors } satisfies ExecutionResult);
    },
  };
  return { onExecute: () => hooks as never };
}
