import type { DocumentNode } from "graphql";
import type { CompiledQuery } from "graphql-jit";

export interface HotOperation {
  document: DocumentNode;
  query: CompiledQuery;
}

/**
 * Operations the fast path runs without parsing, validating or going through envelop: the exact query text (and
 * operation name) of a document that passed validation once and has been compiled. Parsing and validation depend
 * on nothing but the text and the schema, so their outcome is the same every time. Bounded: when full, the
 * oldest entry makes room.
 */
export function createHotOperations(limit = 1_000) {
  const byText = new Map<string, Map<string | null, HotOperation>>();
  return {
    get(query: string, operationName: string | null | undefined): HotOperation | undefined {
      return byText.get(query)?.get(operationName ?? null);
    },
    add(query: string, operationName: string | null | undefined, operation: HotOperation): void {
      let byName = byText.get(query);
      if (!byName) {
        if (byText.size >= limit) byText.delete(byText.keys().next().value as string);
        byName = new Map();
        byText.set(query, byName);
      }
      byName.set(operationName ?? null, operation);
    },
  };
}
