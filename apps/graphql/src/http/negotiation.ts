/** The media types a GraphQL answer can be written in (GraphQL over HTTP), preferred first. */
export const GRAPHQL_RESPONSE = "application/graphql-response+json";
export const JSON_TYPE = "application/json";
export type AnswerType = typeof GRAPHQL_RESPONSE | typeof JSON_TYPE;

/** A media type's essence, lower case: `Application/JSON; charset=UTF-8` → `application/json` (RFC 9110 §8.3.1). */
export function essence(value: string | undefined): string {
  if (value === undefined) return "";
  const end = value.indexOf(";");
  return (end === -1 ? value : value.slice(0, end)).trim().toLowerCase();
}

/** A parameter of a media type, e.g. the charset of `application/json; charset=utf-8`, lower case. */
export function parameter(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  for (const part of value.split(";").slice(1)) {
    const [key = "", raw = ""] = part.split("=", 2);
    if (key.trim().toLowerCase() === name)
      return raw
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase();
  }
  return undefined;
}

/**
 * The answer type for an Accept header: the acceptable type with the highest q (ties: the order above), where
 * `*\/*` and `application/*` mean application/json. No Accept header means application/json (the spec's legacy
 * rule); undefined when the client accepts neither.
 */
export function answerType(accept: string | undefined): AnswerType | undefined {
  if (accept === undefined || accept.trim() === "") return JSON_TYPE;
  let best: AnswerType | undefined;
  let bestQ = 0;
  for (const range of accept.split(",")) {
    const type = essence(range);
    const q = Number(parameter(range, "q") ?? "1");
    const candidate =
      type === GRAPHQL_RESPONSE
        ? GRAPHQL_RESPONSE
        : type === JSON_TYPE || type === "*/*" || type === "application/*"
          ? JSON_TYPE
          : undefined;
    if (candidate === undefined || !(q > 0)) continue;
    if (q > bestQ || (q === bestQ && candidate === GRAPHQL_RESPONSE)) {
      best = candidate;
      bestQ = q;
    }
  }
  return best;
}

/** Whether a browser asks for a page (GraphiQL) rather than a GraphQL answer. */
export function wantsHtml(accept: string | undefined): boolean {
  return accept?.split(",").some((range) => essence(range) === "text/html") ?? false;
}
