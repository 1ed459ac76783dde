/**
 * Builds a URL path where every interpolated value is one encoded path segment:
 * path`/v2/tasks/${id}` with id `../admin` gives `/v2/tasks/..%2Fadmin`, never `/admin`.
 * Dot segments (`.`, `..`, and their percent-encoded forms after decoding) are encoded so no
 * URL parser or server can collapse them.
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += encodeSegment(String(value)) + (strings[i + 1] ?? "");
  });
  return out;
}

export function encodeSegment(value: string): string {
  if (value === "") throw new TypeError("an empty path segment would change the request's path");
  const encoded = encodeURIComponent(value);
  // encodeURIComponent leaves "." alone; a segment of only dots is a traversal, so encode the dots too.
  return /^\.+$/.test(value) ? encoded.replaceAll(".", "%2E") : encoded;
}
