/*
 * How input text reaches the vendor, said in the field descriptions (the model's input-text.ts applies it): text the
 * vendor keeps is never trimmed, so a prompt's indented first line or trailing newline survives; ids are.
 */

/** For text the vendor keeps: a prompt, notes, a title, a label, a message, a comment. */
export const KEPT_TEXT =
  "Sent to the vendor as given, white space included; blank (white space only) is BAD_USER_INPUT.";

/** For ids, and names from the vendor's own list. */
export const TRIMMED_ID = "Trimmed of surrounding white space.";
