import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from "graphql";
import { ERROR_CODES } from "./errors.ts";

const KNOWN = new Set<string>(ERROR_CODES);
/** Codes yoga, envelop and graphql-armor give requests the caller got wrong. */
const REQUEST_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]);

/** A result as the caller receives it: errors in their JSON form. */
export type AnswerResult = Omit<ExecutionResult, "errors"> & { errors?: GraphQLFormattedError[] };

/**
 * What a caller receives for a result: every error's `extensions.code` inside the documented set (parse,
 * validation and variable errors, and graphql-armor's limits, are BAD_USER_INPUT; anything else without a known
 * code is masked as INTERNAL_SERVER_ERROR), the request's ids beside it (request id, trace id when tracing), and
 * no internal extensions (yoga's `http`).
 */
export function normalizeResult(result: ExecutionResult, ids: Readonly<Record<string, string>>): AnswerResult {
  const { errors, ...rest } = result;
  if (!errors?.length) return result as AnswerResult;
  // Errors first, as graphql-js orders them (graphql-jit puts data first): the answer never depends on the executor.
  return { errors: errors.map((error) => normalize(error, ids)), ...rest };
}

function normalize(error: GraphQLError, ids: Readonly<Record<string, string>>): GraphQLFormattedError {
  const { message, locations, path } = error;
  const { http: _http, ...extensions } = error.extensions ?? {};
  const code = typeof extensions.code === "string" ? extensions.code : undefined;
  const where = { ...(locations ? { locations } : {}), ...(path ? { path } : {}) };
  if (code && KNOWN.has(code)) return { message, ...where, extensions: { ...extensions, ...ids } };
  if ((code !== undefined && REQUEST_CODES.has(code)) || (code === undefined && !path)) {
    return { message, ...where, extensions: { code: "BAD_USER_INPUT", ...ids } };
  }
  return {
    message: "Unexpected error.",
    ...(path ? { path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...ids },
  };
}
