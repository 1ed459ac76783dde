import type { DocumentNode } from "graphql";

/**
 * Parsed documents by their text, at most `max`, the least recently used going first: a Map keeps insertion order,
 * so a hit moves its entry to the end and the first entry is the one to evict.
 */
export function documentCache(max: number) {
  const documents = new Map<string, DocumentNode>();
  return {
    get(text: string): DocumentNode | undefined {
      const document = documents.get(text);
      if (document) {
        documents.delete(text);
        documents.set(text, document);
      }
      return document;
    },
    set(text: string, document: DocumentNode): void {
      documents.set(text, document);
      if (documents.size > max) documents.delete(documents.keys().next().value as string);
    },
  };
}
