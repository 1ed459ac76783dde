import type { InputFieldSpec } from "@taskbridge/client";

/**
 * How a typed text is sent, the rule the schema's field descriptions state: text the vendor keeps (a prompt, notes,
 * a message) exactly as typed, so an indented first line or a trailing newline reaches the vendor; an id trimmed, as
 * the service trims it, so one left blank leaves an optional field out. A blank kept text is sent, and the service
 * answers BAD_USER_INPUT naming the field.
 */
export type TextKind = "kept" | "id";

/** How the schema ends the description of a field whose value it trims (apps/graphql's `TRIMMED_ID`). */
const TRIMMED = "Trimmed of surrounding white space.";

/**
 * A create field's kind. Only a String can be kept text (an ID, an enum value or a number is not); of those, the
 * description says which the service trims (Capy's `model`, a name from Capy's list). A String whose description
 * does not say is kept, so nothing typed is lost.
 */
export const textKindOf = (field: InputFieldSpec): TextKind =>
  field.type === "String" && !field.description?.includes(TRIMMED) ? "kept" : "id";

/** The text to send for a form value. */
export function typedText(value: FormDataEntryValue | null, kind: TextKind): string {
  const text = typeof value === "string" ? value : "";
  return kind === "id" ? text.trim() : text;
}

/**
 * The items of a list typed one per line; an empty line is no item. Ids may also be separated by commas; a kept
 * text may hold one, so only a line ends it.
 */
export function typedList(value: FormDataEntryValue | null, kind: TextKind): string[] {
  const text = typeof value === "string" ? value : "";
  if (kind === "kept") return text.split("\n").filter((item) => item !== "");
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}
