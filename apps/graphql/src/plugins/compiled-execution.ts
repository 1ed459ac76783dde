import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  locatedError,
  visit,
} from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";
import type { Plugin } from "graphql-yoga";

export interface CompiledExecutionOptions {
  /** Executions of a document before it is compiled (at least 1). */
  after: number;
  /** A document graphql-jit cannot compile keeps running on the standard executor; this hears about it. */
  onCompileError?(result: ExecutionResult): void;
}

export interface CompiledExecution<C extends object> {
  /** The envelop plugin: counts executions per document, compiles hot ones and runs them compiled. */
  plugin: Plugin<C>;
  /** The document's compiled query, once the plugin has compiled it. */
  compiled(document: DocumentNode): CompiledQuery | undefined;
  /**
   * The next execution with this context value answers `result` instead of running: a result computed outside
   * envelop (by the fast path) still passes through envelop's execute hooks, which mask unexpected errors.
   */
  settle(contextValue: object, result: ExecutionResult): void;
}

/** Executions seen so far, then the compiled query, or false when it cannot be compiled. */
type Entry = number | CompiledQuery | false;

/**
 * Runs frequently executed queries through graphql-jit, which turns a document into one function for the schema
 * (the executor's per-field work — resolve info, paths, completion — done once). Compiling costs milliseconds, about a
 * hundred executions of a small query, so a document is compiled only once it has run `after` times: a stream of
 * one-off documents never becomes a stream of compilations. Entries live as long as the parse cache keeps the
 * document. Answers stay the standard executor's, word for word (a test compares both over every kind of request):
 * - only single-operation queries: graphql-jit does not enforce @oneOf inputs (createTask's), and a mutation gains
 *   nothing from saving microseconds next to a vendor write;
 * - variables that do not coerce stop graphql-jit before anything runs, so the standard executor words those errors;
 * - field errors get graphql-js' shape back (locations from the field nodes, `errors` before `data`).
 */
export function createCompiledExecution<C extends object>(options: CompiledExecutionOptions): CompiledExecution<C> {
  const after = Math.max(1, options.after);
  const entries = new WeakMap<DocumentNode, Entry>();
  const settled = new WeakMap<object, ExecutionResult>();

  const compile = (args: ExecutionArgs): CompiledQuery | undefined => {
    const entry = entries.get(args.document) ?? 0;
    if (typeof entry !== "number") return entry || undefined;
    if (entry + 1 < after) {
      entries.set(args.document, entry + 1);
      return undefined;
    }
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    if (!isCompiledQuery(result)) options.onCompileError?.(result);
    const next = isCompiledQuery(result) ? result : false;
    entries.set(args.document, next);
    return next || undefined;
  };

  return {
    plugin: {
      onExecute({ args, executeFn, setExecuteFn }) {
        const result = settled.get(args.contextValue as object);
        if (result) {
          settled.delete(args.contextValue as object);
          setExecuteFn(() => result);
          return;
        }
        const [operation, ...others] = args.document.definitions;
        if (others.length || operation?.kind !== "OperationDefinition" || operation.operation !== "query") return;
        const query = compile(args);
        if (query) {
          setExecuteFn(async (run) => (await runCompiled(query, run)) ?? executeFn(run));
        }
      },
    },
    compiled(document) {
      const entry = entries.get(document);
      return typeof entry === "object" ? entry : undefined;
    },
    settle(contextValue, result) {
      settled.set(contextValue, result);
    },
  } as CompiledExecution<C>;
}

/**
 * Runs a compiled query. Undefined when the variables do not coerce: graphql-jit stops before anything runs, and
 * the standard executor is the one to word those errors.
 */
export async function runCompiled(
  query: CompiledQuery,
  args: Pick<ExecutionArgs, "document" | "rootValue" | "contextValue" | "variableValues">,
): Promise<ExecutionResult | undefined> {
  const result = await query.query(args.rootValue, args.contextValue, args.variableValues);
  if (!result.errors) return result;
  if (!("data" in result)) return undefined;
  return { errors: result.errors.map((error) => relocated(error, args.document)), data: result.data };
}

/** graphql-jit's field error as graphql-js builds it, with the field nodes its locations point at. */
function relocated(error: GraphQLError, document: DocumentNode): GraphQLError {
  const at = new Set(error.locations?.map(({ line, column }) => `${line}:${column}`));
  const nodes: FieldNode[] = [];
  visit(document, {
    Field(node) {
      const start = node.loc?.startToken;
      if (start && at.has(`${start.line}:${start.column}`)) nodes.push(node);
    },
  });
  return locatedError(error.originalError ?? error, nodes, error.path);
}
