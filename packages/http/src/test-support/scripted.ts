import type { IncomingMessage, ServerResponse } from "node:http";
import { type Loopback, sendJson, startLoopback } from "./loopback.ts";

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

export const reply = {
  json: (status: number, body: unknown = {}, headers: Record<string, string> = {}): Reply => {
    return (_req, res) => sendJson(res, status, body, headers);
  },
  reset: (): Reply => (req) => req.socket.destroy(),
  /** Answers only when the returned `release` is called. */
  held: (status: number): { reply: Reply; release: () => void } => {
    let pending: (() => void) | undefined;
    let released = false;
    return {
      reply: (_req, res) => {
        pending = () => sendJson(res, status, { ok: status < 300 });
        if (released) pending();
      },
      release: () => {
        released = true;
        pending?.();
      },
    };
  },
};

export interface Scripted extends Loopback {
  /** Queues replies for the next requests; once the queue is empty the server answers 200 {"ok":true}. */
  script(...replies: Reply[]): void;
  count(): number;
}

export async function startScripted(): Promise<Scripted> {
  let queue: Reply[] = [];
  const server = await startLoopback((req, res) => {
    const next = queue.shift() ?? reply.json(200, { ok: true });
    next(req, res);
  });
  return Object.assign(server, {
    script: (...replies: Reply[]) => {
      queue = [...queue, ...replies];
    },
    count: () => server.seen.length,
  });
}
