import { describe, expect, it } from "vitest";
import { mergeOpenApi } from "./merge-openapi.ts";

const errorSchema = { type: "object", properties: { code: { type: "string" } } };

describe("mergeOpenApi", () => {
  const v2 = {
    openapi: "3.0.0",
    info: { title: "v2", version: "2" },
    servers: [{ url: "https://api.example.com/v2" }],
    security: [{ key: [] }],
    paths: {
      "/tasks/{id}": {
        get: {
          responses: { "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/E" } } } } },
        },
      },
    },
    components: { schemas: { E: errorSchema }, securitySchemes: { key: { type: "http", scheme: "bearer" } } },
  };
  const v4 = {
    openapi: "3.0.0",
    info: { title: "v4", version: "4" },
    servers: [{ url: "https://api.example.com/v4" }],
    paths: { "/tasks": { post: { responses: { "200": { description: "ok" } } } } },
    components: { schemas: { E: { type: "string" } } },
  };

  it("prefixes each document's paths with its server path", () => {
    const merged = mergeOpenApi([
      { name: "v2", doc: v2 },
      { name: "v4", doc: v4 },
    ]);
    expect(Object.keys(merged.paths as object).sort()).toEqual(["/v2/tasks/{id}", "/v4/tasks"]);
  });

  it("namespaces components per document and rewrites their references", () => {
    const merged = mergeOpenApi([
      { name: "v2", doc: v2 },
      { name: "v4", doc: v4 },
    ]) as { components: { schemas: Record<string, unknown> }; paths: Record<string, Record<string, unknown>> };
    expect(merged.components.schemas).toEqual({ v2__E: errorSchema, v4__E: { type: "string" } });
    expect(JSON.stringify(merged.paths["/v2/tasks/{id}"])).toContain("#/components/schemas/v2__E");
  });

  it("carries the document's security requirement onto each operation, renamed", () => {
    const merged = mergeOpenApi([{ name: "v2", doc: v2 }]) as { paths: Record<string, { get: { security: unknown } }> };
    expect(merged.paths["/v2/tasks/{id}"]?.get.security).toEqual([{ v2__key: [] }]);
  });

  it("lets an addendum add responses to an operation, but not redefine one", () => {
    const addendum = {
      openapi: "3.0.0",
      servers: [{ url: "https://api.example.com/v2" }],
      paths: { "/tasks/{id}": { get: { responses: { "429": { description: "rate limited" } } } } },
    };
    const merged = mergeOpenApi([
      { name: "v2", doc: v2 },
      { name: "limits", doc: addendum },
    ]) as { paths: Record<string, { get: { responses: object } }> };
    expect(Object.keys(merged.paths["/v2/tasks/{id}"]?.get.responses ?? {})).toEqual(["200", "429"]);

    const conflicting = {
      ...addendum,
      paths: { "/tasks/{id}": { get: { responses: { "200": { description: "other" } } } } },
    };
    expect(() =>
      mergeOpenApi([
        { name: "v2", doc: v2 },
        { name: "other", doc: conflicting },
      ]),
    ).toThrow(/GET \/v2\/tasks\/\{id\}: response 200/);
  });

  it("reads the path of templated server URLs", () => {
    const doc = { openapi: "3.0.0", servers: [{ url: "https://{api_region}/v5" }], paths: { "/tasks/{id}": {} } };
    expect(Object.keys(mergeOpenApi([{ name: "ms", doc }]).paths as object)).toEqual(["/v5/tasks/{id}"]);
  });
});
