// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
const BREAKS = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * A vendor's text as an error message may carry it: one printable line. Each run of control characters (newlines,
 * NUL, terminal escapes) becomes one space, and a surrogate pair cut in half by a length cap becomes U+FFFD.
 */
export function printable(text: string): string {
  return text.replace(BREAKS, " ").trim().toWellFormed();
}
