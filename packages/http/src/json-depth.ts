export const DEFAULT_MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Whether JSON text nests objects and arrays deeper than `max`, in one pass over the text before parsing it.
 * V8 parses any depth, but JSON.stringify (our own response) and recursive readers overflow the stack on a deep
 * value. A typical answer opens fewer brackets than `max` in all, which bounds its depth: counting them with
 * indexOf is cheap, and only a text with more is scanned (strings skipped). Text that is not JSON may get any
 * answer: JSON.parse refuses it next.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (opened(text, "{", max) + opened(text, "[", max) <= max) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = text.indexOf('"', i + 1);
      while (i > 0 && escaped(text, i)) i = text.indexOf('"', i + 1);
      if (i < 0) return false;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}

/** How many times `bracket` occurs in `text`, counting no further than past `max`. */
function opened(text: string, bracket: string, max: number): number {
  let count = 0;
  for (let i = text.indexOf(bracket); i !== -1 && count <= max; i = text.indexOf(bracket, i + 1)) count += 1;
  return count;
}

/** A quote is escaped when an odd run of backslashes precedes it. */
function escaped(text: string, quote: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
  return backslashes % 2 === 1;
}
