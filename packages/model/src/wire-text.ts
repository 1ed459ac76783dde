import { InvalidInputError } from "./errors.ts";

/** Where a vendor client sends a caller's text: in an HTTP header, or in a URL (a path segment, a query parameter). */
export type WirePlace = "header" | "url";

/**
 * What each place carries exactly as given. A header: visible ASCII with spaces only between characters (undici
 * refuses control characters and anything past U+00FF; servers drop a value's outer spaces and read bytes past 0x7E
 * each their own way). A URL: anything but control characters and lone surrogates (encoding carries the rest; a
 * lone surrogate would arrive as U+FFFD, and no id or filter value holds a control character).
 */
const WIRE_TEXT: Record<WirePlace, { pattern: RegExp; expected: string }> = {
  header: {
    pattern: /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/,
    expected: "visible ASCII characters, with spaces only between them",
  },
  url: { pattern: /^[^\p{Cc}\p{Cs}]*$/u, expected: "text without control characters" },
};

/** Whether `value` can be sent in `place` exactly as given. Says nothing about length: "" passes. */
export function isWireText(value: string, place: WirePlace): boolean {
  return WIRE_TEXT[place].pattern.test(value);
}

/** What `place` takes, for error messages: "expected …". */
export function wireTextExpected(place: WirePlace): string {
  return `expected ${WIRE_TEXT[place].expected}`;
}

/** `value` when it can be sent in `place` as given, else an InvalidInputError naming `field` (never the value). */
export function checkWireText(value: string, field: string, place: WirePlace): string {
  if (!isWireText(value, place)) throw new InvalidInputError(field, wireTextExpected(place));
  return value;
}
