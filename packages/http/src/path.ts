import { InvalidInputError } from "@taskbridge/model";

/**
 * Builds a URL path where every interpolated value is exactly one encoded path segment:
 * path`/v2/tasks/${id}` with id `../admin` gives `/v2/tasks/..%2Fadmin`, never `/admin`.
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += encodeSegment(String(value)) + (strings[i + 1] ?? "");
  });
  return out;
}

/**
 * Encodes one path segment. `%` itself is encoded, so `%2e%2e` stays literal text. The values `""`, `.` and `..`
 * are refused: no encoding keeps them a segment, because WHATWG URL parsers (and many servers) treat `.`, `..`,
 * `%2e` and `%2e%2e` alike as dot segments and collapse them. No vendor id can legitimately be one of those.
 */
export function encodeSegment(value: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new InvalidInputError("path", `the value ${JSON.stringify(value)} cannot be a path segment`);
  }
  if (!value.isWellFormed()) throw new InvalidInputError("path", "a path segment must be well-formed Unicode");
  return encodeURIComponent(value);
}
