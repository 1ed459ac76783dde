import { createHttpClient, nullOnNotFound, path } from "@taskbridge/http";
import { expectAnsweredId, parseUuid, type SourceCapabilities, type TaskSource } from "@taskbridge/model";
import { type ClientOptions, resolveConfig } from "./config.ts";
import { mapTask } from "./map.ts";
import { ErrorWire, TicketWire } from "./wire.ts";

export interface AcmeClient extends TaskSource<"acme"> {
  close(): Promise<void>;
}

export const ID_FORMAT = "an Acme ticket UUID";

export const CAPABILITIES: SourceCapabilities = {
  createTask: false,
  personLookup: false,
  assigneeKinds: [],
  idFormat: ID_FORMAT,
  list: null,
  actions: [],
};

export function createClient(options: ClientOptions): AcmeClient {
  const { baseUrl, token } = resolveConfig(options);
  const http = createHttpClient({
    ...options.http,
    vendor: "acme",
    baseUrl,
    headers: { "x-acme-token": token },
    readError: (response) => ({ detail: ErrorWire.safeParse(response.body).data?.error }),
  });
  return {
    vendor: "acme",
    capabilities: CAPABILITIES,
    async getTask(id, callOptions) {
      const ticketId = parseUuid(id, "id", ID_FORMAT);
      const response = await nullOnNotFound(
        http.request({
          operation: "getTask",
          method: "GET",
          path: path`/v1/tickets/${ticketId}`,
          schema: TicketWire,
          signal: callOptions?.signal,
        }),
      );
      if (!response) return null;
      const ticket = (response.json as { ticket: Record<string, unknown> }).ticket;
      return expectAnsweredId(mapTask(response.data.ticket, ticket, response), ticketId, response);
    },
    close: () => http.close(),
  };
}
