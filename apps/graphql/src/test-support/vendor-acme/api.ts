import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface AcmeTicket {
  id: string;
  subject: string | null;
  state: string;
  opened_at: string;
  changed_at: string;
  board: string;
  points: number | null;
}

export interface AcmeApi {
  /** Origin, e.g. http://127.0.0.1:43123 */
  url: string;
  tickets: Map<string, AcmeTicket>;
  /** Every request, as received: method, path and the token it carried. */
  requests: { method: string; path: string; token: string | undefined }[];
  close(): Promise<void>;
}

/** Acme's API on loopback: `GET /v1/tickets/{id}` for the tokens it knows, 401 for others, 404 for unknown ids. */
export async function startAcmeApi(tokens: readonly string[]): Promise<AcmeApi> {
  const tickets = new Map<string, AcmeTicket>();
  const requests: AcmeApi["requests"] = [];
  const server = createServer((req, res) => {
    const token = req.headers["x-acme-token"] as string | undefined;
    const path = req.url ?? "";
    requests.push({ method: req.method ?? "", path, token });
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (!token || !tokens.includes(token)) return answer(401, { error: "unknown token" });
    const match = /^\/v1\/tickets\/([^/]+)$/.exec(path);
    const ticket = match && req.method === "GET" ? tickets.get(decodeURIComponent(match[1] ?? "")) : undefined;
    return ticket ? answer(200, { ticket }) : answer(404, { error: "no such ticket" });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tickets,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
