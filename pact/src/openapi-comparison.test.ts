// Bi-directional check: each pact may only ask for what the vendor's published (or transcribed) OpenAPI
// documents promise. Runs against the committed pact files, which CI regenerates first.
import * as comparatorModule from "@pactflow/openapi-pact-comparator";
import { describe, expect, it } from "vitest";
import { PROVIDERS, providerDocument, readPact } from "./documents.ts";

type Result = { type: string; code: string; message: string; mockDetails?: { location?: string } };

// The package's `exports` lists `types` after `import`, so TypeScript never finds its typings: the one class we
// use is typed here.
const { Comparator } = comparatorModule as unknown as {
  Comparator: new (options: { oas: unknown }) => { compare(pact: unknown): AsyncGenerator<Result> };
};

async function compare(document: unknown, pact: unknown): Promise<Result[]> {
  const results: Result[] = [];
  for await (const result of new Comparator({ oas: document }).compare(pact)) results.push(result);
  return results;
}

/**
 * Findings that fail a pact: the comparator's errors, and anything about our request it merely warns of (an
 * undocumented query parameter or header is a warning there), since a request must ask only for what is promised.
 */
function failuresOf(results: Result[]): Result[] {
  return results.filter((r) => r.type === "error" || r.code.startsWith("request."));
}

function describeResults(results: Result[]): string {
  return results.map((r) => `${r.type} ${r.code} at ${r.mockDetails?.location ?? "?"}: ${r.message}`).join("\n");
}

describe.each(PROVIDERS)("the %s pact against the vendor's OpenAPI documents", (provider) => {
  it("asks for nothing the documents do not promise", async () => {
    const failures = failuresOf(await compare(providerDocument(provider), readPact(provider)));
    expect(failures, describeResults(failures)).toEqual([]);
  });
});

describe("the comparison itself", () => {
  it("fails a pact that asks for an endpoint the vendor does not document", async () => {
    const pact = readPact("maxsight") as { interactions: Array<{ request: { path: string } }> };
    const tampered = structuredClone(pact);
    for (const interaction of tampered.interactions) interaction.request.path = "/v5/admin/export";
    const errors = failuresOf(await compare(providerDocument("maxsight"), tampered));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.code).toBe("request.path-or-method.unknown");
  });

  it("fails a pact that sends a query parameter the vendor does not document", async () => {
    const pact = readPact("capy") as { interactions: Array<{ request: { method: string; query?: unknown } }> };
    const tampered = structuredClone(pact);
    const read = tampered.interactions.find((interaction) => interaction.request.method === "GET");
    if (read) read.request.query = { expand: ["jams"] };
    const failures = failuresOf(await compare(providerDocument("capy"), tampered));
    expect(failures.map((r) => r.code)).toContain("request.query.unknown");
  });
});
