import { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import { ERROR_CODES } from "../errors.ts";

const KNOWN = new Set<string>(ERROR_CODES);
/** Codes yoga and graphql-armor use for requests the caller got wrong. */
const REQUEST_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST"]);

/**
 * Keeps `extensions.code` inside the documented set: parse, validation and variable errors (and graphql-armor's
 * limits) become BAD_USER_INPUT; anything else without a known code is masked as INTERNAL_SERVER_ERROR.
 */
export function normalizeErrorsPlugin<C extends object>(): Plugin<C> {
  return {
    onResultProcess({ result, setResult }) {
      if (!result || Array.isArray(result) || Symbol.asyncIterator in result) return;
      const normalized = normalizeResult(result as { errors?: readonly GraphQLError[] });
      if (normalized !== result) setResult(normalized as typeof result);
    },
  };
}

/** The same rule for one execution result (the fast path in fast-path.ts applies it without yoga's hooks). */
export function normalizeResult<R extends { errors?: readonly GraphQLError[] | undefined }>(result: R): R {
  const errors = result.errors;
  if (!errors?.length || errors.every((e) => KNOWN.has(String(e.extensions?.code)))) return result;
  return { ...result, errors: errors.map(normalize) };
}

function normalize(error: GraphQLError): GraphQLError {
  const extensions = error.extensions ?? {};
  const code = typeof extensions.code === "string" ? extensions.code : undefined;
  if (code && KNOWN.has(code)) return error;
  const isRequestError = (code !== undefined && REQUEST_CODES.has(code)) || (code === undefined && !error.path);
  const http = extensions.http === undefined ? {} : { http: extensions.http };
  if (isRequestError) {
    return new GraphQLError(error.message, {
      ...(error.source ? { source: error.source } : {}),
      ...(error.positions ? { positions: error.positions } : {}),
      extensions: { code: "BAD_USER_INPUT", ...http },
    });
  }
  return new GraphQLError("Unexpected error.", {
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: "INTERNAL_SERVER_ERROR", ...http },
  });
}
