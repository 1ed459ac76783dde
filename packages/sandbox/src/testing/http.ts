import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Bytes received vs the Content-Length header (for truncation checks). */
  received: number;
}

/**
 * One HTTP call over a fresh connection (no pool), so socket-level faults surface as errors here.
 * Rejects on socket errors and when `timeoutMs` passes without a complete answer.
 */
export function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body =
      init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    const req = request(
      url,
      {
        method: init.method ?? "GET",
        agent: false,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("aborted", () => reject(new Error("response aborted")));
        res.on("end", () => {
          const buffer = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: buffer.toString("utf8"),
            received: buffer.length,
          });
        });
      },
    );
    req.setTimeout(init.timeoutMs ?? 5000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

export async function json(
  url: string,
  init?: Parameters<typeof call>[1],
): Promise<{ status: number; headers: RawResponse["headers"]; body: unknown }> {
  const res = await call(url, init);
  return { status: res.status, headers: res.headers, body: JSON.parse(res.text) };
}
