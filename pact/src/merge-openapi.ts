// The comparator takes one OpenAPI document per pact and ignores OAS3 `servers` paths, while one provider's
// promises can span several documents (Max AI's v2 spec and its transcribed v4 pages; a seed spec and a
// transcribed addendum). This folds them into one: each document's paths get its server path as prefix and its
// components a per-document namespace, so nothing collides and every $ref still points where it did.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
export interface NamedDocument {
  name: string;
  doc: JsonObject;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export function mergeOpenApi(documents: readonly NamedDocument[]): JsonObject {
  const first = documents[0];
  if (!first) throw new Error("mergeOpenApi needs at least one document");
  const paths: JsonObject = {};
  const components: Record<string, JsonObject> = {};
  for (const { name, doc } of documents) {
    const prefix = `${name.replace(/[^A-Za-z0-9]+/g, "_")}__`;
    const renamed = renameComponents(doc, prefix) as JsonObject;
    for (const [kind, entries] of Object.entries(asObject(renamed.components))) {
      components[kind] = { ...components[kind], ...prefixKeys(asObject(entries), prefix) };
    }
    const security = renameSecurity(renamed.security, prefix);
    const base = serverPath(doc);
    for (const [path, item] of Object.entries(asObject(renamed.paths))) {
      const target: JsonObject = asObject(paths[base + path]);
      paths[base + path] = target;
      for (const [key, value] of Object.entries(asObject(item))) {
        if (!METHODS.has(key)) {
          target[key] = value;
          continue;
        }
        const operation = { ...asObject(value) };
        operation.security = operation.security === undefined ? security : renameSecurity(operation.security, prefix);
        target[key] =
          target[key] === undefined
            ? operation
            : mergeOperations(asObject(target[key]), operation, `${key.toUpperCase()} ${base + path}`);
      }
    }
  }
  return { openapi: first.doc.openapi ?? "3.0.0", info: { ...asObject(first.doc.info) }, paths, components };
}

/** An addendum may add responses to an operation the base document already has, never change one. */
function mergeOperations(base: JsonObject, addition: JsonObject, where: string): JsonObject {
  const responses = { ...asObject(base.responses) };
  for (const [status, response] of Object.entries(asObject(addition.responses))) {
    if (responses[status] !== undefined && JSON.stringify(responses[status]) !== JSON.stringify(response)) {
      throw new Error(`${where}: response ${status} is described differently by two documents`);
    }
    responses[status] = response;
  }
  return { ...base, responses };
}

function serverPath(doc: JsonObject): string {
  const servers = doc.servers;
  const url = Array.isArray(servers) ? asObject(servers[0] ?? {}).url : undefined;
  if (typeof url !== "string") return "";
  // Server URLs may hold variables (`https://{api_region}/v5`); only the path matters here.
  return new URL(url.replace(/\{[^}]*\}/g, "host"), "http://host").pathname.replace(/\/+$/, "");
}

function renameComponents(value: Json, prefix: string): Json {
  if (Array.isArray(value)) return value.map((item) => renameComponents(item, prefix));
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof inner === "string"
        ? inner.replace(/^#\/components\/([^/]+)\//, `#/components/$1/${prefix}`)
        : renameComponents(inner, prefix);
  }
  return out;
}

function renameSecurity(security: Json | undefined, prefix: string): Json {
  if (!Array.isArray(security)) return [];
  return security.map((requirement) => prefixKeys(asObject(requirement), prefix));
}

function prefixKeys(object: JsonObject, prefix: string): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [prefix + key, value]));
}

function asObject(value: Json | undefined): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
}
