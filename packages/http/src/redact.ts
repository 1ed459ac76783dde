/** Headers that carry credentials for our vendors; their values never reach an error or a log line. */
export const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "apikey",
  "x-api-key",
  "x-api-secret",
  "proxy-authorization",
  "cookie",
]);

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : String(value);
  }
  return out;
}

/** Removes every configured secret value from a text (vendor messages sometimes echo what they were sent). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.replaceAll(secret, REDACTED);
  return out;
}
