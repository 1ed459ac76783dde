import { z } from "zod";

/**
 * What a caller's API key may be: what `Authorization: Bearer <key>` carries intact (printable ASCII, no white
 * space), 1–256 characters. The tenants file's `apiKeys` and TASKBRIDGE_DEMO_API_KEY are checked by it;
 * bin/key-digest.mjs, plain JS for any Node, repeats the pattern, and key-digest.test.ts keeps the two in step.
 */
export const CALLER_KEY_PATTERN = /^[\x21-\x7e]{1,256}$/;

export const CallerKey = z
  .string()
  .regex(CALLER_KEY_PATTERN, "1–256 printable ASCII characters without white space (sent as `Bearer <key>`)");
