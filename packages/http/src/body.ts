import type { Readable } from "node:stream";

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the response body exceeds ${limit} bytes`);
    this.name = "BodyTooLargeError";
    this.limit = limit;
  }
}

/**
 * Reads a whole response body as UTF-8 text, refusing more than `limit` bytes. On refusal or any failure the
 * stream is destroyed, so undici drops the connection instead of returning a half-read socket to the pool.
 */
export async function readText(
  body: Readable & { text(): Promise<string> },
  limit: number,
  declaredLength: string | undefined,
): Promise<string> {
  const declared = declaredLength === undefined ? undefined : Number(declaredLength);
  if (declared !== undefined && declared > limit) {
    body.destroy();
    throw new BodyTooLargeError(limit);
  }
  try {
    // A declared length within the limit bounds the body already (undici refuses a body longer than declared):
    // undici's own reader is the cheap way. Without one, the body is counted as it arrives.
    if (declared !== undefined && Number.isInteger(declared) && declared >= 0) return await body.text();
    return new TextDecoder().decode(await readCounted(body, limit));
  } catch (error) {
    body.destroy();
    throw error;
  }
}

async function readCounted(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}
