import type { IncomingMessage } from "node:http";

/** The body was larger than the limit: declared so, or counted while it arrived (chunked). */
export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`Request body is larger than ${limit} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

/** The client went away (reset, or closed) before its body ended: there is nobody to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super("The client went away before its request body ended.");
    this.name = "ClientGoneError";
  }
}

/**
 * The whole body, refused past `limit` bytes: at once when Content-Length says so, else as soon as the count
 * passes it (the rest is not read). Listeners rather than async iteration, which costs a promise per chunk.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > limit) return reject(new BodyTooLargeError(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLargeError(limit));
      } else chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    // A client gone mid-body ends the request with an error (a reset), or with close and no end.
    req.once("error", () => reject(new ClientGoneError()));
    req.once("close", () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}
