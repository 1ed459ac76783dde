import { z } from "zod";

/**
 * An id, or a name from the vendor's own list (Capy's `model`): white space around it is a copy-paste slip, never
 * part of the id, so it is trimmed, then must not be empty.
 */
export const idText = z.string().trim().min(1);

/**
 * Text the vendor keeps (a prompt, notes, a title, a label, a message, a comment): it reaches the vendor exactly as
 * given, leading indentation and trailing newline included. Only a blank one (white space only) is refused.
 */
export const keptText = z.string().regex(/\S/, "must not be blank");
