import { type DocumentNode, type ExecutionArgs, Kind } from "graphql";

/**
 * graphql-jit's `enableIf`: compile a document once it has run `after` times. Compiling costs milliseconds, about a
 * hundred executions of a small query, so a stream of one-off documents never becomes a stream of compilations.
 * Only documents with one operation, a query: the plugin caches its compilation per document, whatever operation
 * was asked for, and graphql-jit does not enforce @oneOf inputs (createTask's).
 */
export function compileAfter(after: number): (args: ExecutionArgs) => boolean {
  const runs = new WeakMap<DocumentNode, number>();
  return (args) => {
    const count = (runs.get(args.document) ?? 0) + 1;
    if (count <= after) runs.set(args.document, count);
    return count >= after && isSingleQuery(args.document);
  };
}

function isSingleQuery(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (definition.operation !== "query" || ++operations > 1) return false;
  }
  return operations === 1;
}
