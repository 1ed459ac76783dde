/** One GraphQL request's parameters (GraphQL over HTTP §"Request Parameters"). */
export interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** What a request asked for: one operation, a batch (a JSON array), or a reason it cannot be read. */
export type ParsedRequest = { params: GraphQLParams[]; batch: boolean } | { invalid: string };

const KEYS = new Set(["query", "variables", "operationName", "extensions"]);

/** A POST body (already known to be JSON by its content type). */
export function paramsFromJson(body: string, batchLimit: number): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { invalid: "The request body is not valid JSON." };
  }
  if (!Array.isArray(value)) return single(value);
  if (value.length === 0 || value.length > batchLimit) {
    return { invalid: `A batch holds 1 to ${batchLimit} operations (got ${value.length}).` };
  }
  const params: GraphQLParams[] = [];
  for (const [i, item] of value.entries()) {
    const read = single(item);
    if ("invalid" in read) return { invalid: `Batch item ${i}: ${read.invalid}` };
    params.push(...read.params);
  }
  return { params, batch: true };
}

/** A GET's query string: `variables` and `extensions` are JSON text. */
export function paramsFromSearch(search: URLSearchParams): ParsedRequest {
  const value: Record<string, unknown> = {};
  for (const [key, text] of search) {
    if (key === "variables" || key === "extensions") {
      try {
        value[key] = JSON.parse(text);
      } catch {
        return { invalid: `The ${key} parameter is not valid JSON.` };
      }
    } else value[key] = text;
  }
  return single(value);
}

function single(value: unknown): ParsedRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { invalid: "The request must be a JSON object with a query." };
  }
  const params = value as Record<string, unknown>;
  for (const key in params) if (!KEYS.has(key)) return { invalid: `Unexpected parameter "${key.slice(0, 40)}".` };
  const { query, variables, operationName, extensions } = params;
  if (typeof query !== "string" || query === "") return { invalid: "The query parameter must be a non-empty string." };
  if (!isMapOrNull(variables)) return { invalid: "The variables parameter must be an object." };
  if (operationName != null && typeof operationName !== "string") {
    return { invalid: "The operationName parameter must be a string." };
  }
  if (!isMapOrNull(extensions)) return { invalid: "The extensions parameter must be an object." };
  return { params: [params as unknown as GraphQLParams], batch: false };
}

function isMapOrNull(value: unknown): boolean {
  return value == null || (typeof value === "object" && !Array.isArray(value));
}
