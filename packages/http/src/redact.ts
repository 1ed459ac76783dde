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

/** The headers for a log line: credential headers, and any other holding one of `secrets` (a vendor's own), redacted. */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = String(value);
    out[name] = isCredentialHeader(name) || holdsSecret(text, secrets) ? REDACTED : text;
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

/** Whether `text` holds a secret scrubSecrets would remove. */
function holdsSecret(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) if (secret.length >= 4 && text.includes(secret)) return true;
  return false;
}

/**
 * A vendor's parsed JSON answer with every secret removed from its strings and keys (a vendor may echo the request
 * it got, credentials included); the same value when there was none. `text`, what was parsed, is searched first:
 * without a secret or an escape in it (`\/`, `\u005f`), none of the parsed strings can hold one.
 */
export function scrubJson(text: string, json: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return json;
  return text.includes("\\") || holdsSecret(text, secrets) ? scrubValue(json, secrets) : json;
}

function scrubValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return holdsSecret(value, secrets) ? scrubSecrets(value, secrets) : value;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = value.map((item) => scrubValue(item, secrets));
    return out.some((item, i) => item !== value[i]) ? out : value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const entry = [scrubValue(key, secrets) as string, scrubValue(item, secrets)] as const;
    changed ||= entry[0] !== key || entry[1] !== item;
    return entry;
  });
  // fromEntries defines keys, so a `__proto__` key stays data as JSON.parse made it.
  return changed ? Object.fromEntries(entries) : value;
}
