/** Headers that carry credentials for our vendors; their values never reach an error or a log line. */
const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "apikey",
  "x-api-key",
  "x-api-secret",
  "proxy-authorization",
  "cookie",
]);

export const REDACTED = "[redacted]";

function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase());
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isCredentialHeader(name) ? REDACTED : String(value);
  }
  return out;
}

/**
 * The secret strings inside credential headers: the whole value and, for `Bearer xyz`/`Basic xyz`, the token
 * alone, because a vendor message may echo either.
 */
export function credentialValues(headers: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !isCredentialHeader(name)) continue;
    out.add(value);
    const token = value.trim().split(/\s+/).at(-1);
    if (token) out.add(token);
  }
  return [...out];
}

/** Removes every configured secret value from a text (vendor messages sometimes echo what they were sent). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a token inside a longer secret cannot leave part of the longer one behind.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.replaceAll(secret, REDACTED);
  }
  return out;
}
