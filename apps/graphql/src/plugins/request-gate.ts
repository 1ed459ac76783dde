import type { Plugin } from "graphql-yoga";
import type { Tenant } from "../context.ts";
import { bearerKey, tenantIndex } from "../tenants.ts";

interface GateTenant {
  keyDigests: readonly Buffer[];
  runtime: Tenant;
}

const GRAPHQL_PATH = "/graphql";
const JSON_TYPES = ["application/json", "application/graphql-response+json"];

/**
 * Runs for every request to /graphql before yoga parses anything (GraphiQL's HTML page is served earlier):
 * 1. CSRF: a POST must have a JSON body. Forms and text/plain — what a cross-site page can send without a CORS
 *    preflight — are refused (415). GETs carry no body; like every request they need the Authorization
 *    header below, which no cross-site request can send without a preflight.
 * 2. Authentication: `Authorization: Bearer <api key>` must match a tenant, else 401 UNAUTHENTICATED.
 * So neither an unauthenticated nor a malformed request reaches GraphQL, let alone a vendor.
 */
export function requestGatePlugin<C extends object>(options: { tenants: readonly GateTenant[] }): Plugin<C> {
  const findTenant = tenantIndex(options.tenants);
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== GRAPHQL_PATH || request.method === "OPTIONS") return;
      if (request.method === "POST") {
        const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
        if (!JSON_TYPES.includes(type)) {
          endResponse(
            errorResponse(
              fetchAPI,
              415,
              "BAD_USER_INPUT",
              "POST bodies must be JSON (content-type: application/json).",
            ),
          );
          return;
        }
      }
      const key = bearerKey(request.headers.get("authorization"));
      const match = key === undefined ? undefined : findTenant(key);
      if (!match) {
        endResponse(
          errorResponse(fetchAPI, 401, "UNAUTHENTICATED", "Send a valid API key as `Authorization: Bearer <key>`.", {
            "www-authenticate": 'Bearer realm="taskbridge"',
          }),
        );
        return;
      }
      const { auth } = serverContext as { auth?: { tenant?: Tenant } };
      if (!auth) throw new Error("the server context has no auth holder");
      auth.tenant = match.runtime;
    },
  };
}

function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
