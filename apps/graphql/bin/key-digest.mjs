#!/usr/bin/env node
// Prints the SHA-256 digest (hex) of a caller API key, which is what a tenants file's `apiKeySha256` lists, so the
// file need not hold the key. Plain Node (20 is enough):
//   npm run --silent key-digest -- <key>
//   printf %s "$KEY" | npm run --silent key-digest     (keeps the key out of shell history and `ps`)
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const usage =
  "usage: npm run --silent key-digest -- <key>, or the key on stdin; a key is 1–256 printable ASCII characters without white space\n";
const argument = process.argv[2];
if (argument === undefined && process.stdin.isTTY) {
  process.stderr.write(usage);
  process.exit(2);
}
// A key never holds white space (the service reads it from `Authorization: Bearer <key>`), so a trailing newline
// from `echo` or a file is not part of it.
const key = (argument ?? readFileSync(0, "utf8")).trim();
// The service's rule for a caller key (src/caller-key.ts; key-digest.test.ts checks they agree).
if (!/^[\x21-\x7e]{1,256}$/.test(key)) {
  process.stderr.write(usage);
  process.exit(2);
}
process.stdout.write(`${createHash("sha256").update(key).digest("hex")}\n`);
