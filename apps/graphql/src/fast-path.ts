import type { IncomingMessage, ServerResponse } from "node:http";
import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST } from "graphql";
import { processRegularResult, type YogaServerInstance } from "graphql-yoga";
import type { ServerContext } from "./app.ts";
import type { GraphQLContext, Tenant } from "./context.ts";
import { createHotOperations, type HotOperation } from "./hot-operations.ts";
import { type CompiledExecution, runCompiled } from "./plugins/compiled-execution.ts";
import { normalizeResult } from "./plugins/normalize-errors.ts";
import { bearerKey } from "./tenants.ts";

/** What yoga would answer with for each Accept value the fast path takes (anything else goes to yoga). */
const ACCEPTED: Record<string, string> = {
  "*/*": "application/json",
  "application/json": "application/json",
  "application/graphql-response+json": "application/graphql-response+json",
};

interface Params {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface FastPathOptions {
  yoga: YogaServerInstance<ServerContext, GraphQLContext>;
  findTenant: (key: string) => { runtime: Tenant } | undefined;
  /** yoga's maxRequestBodySize: larger (or unsized) bodies are yoga's to refuse. */
  maxBodyBytes: number;
  /** The request's GraphQL context, built by the same function yoga's `context` option calls. */
  contextFor(server: ServerContext): GraphQLContext;
  /** graphql-jit compilation (yoga runs its plugin); when given, compiled operations take the hot route. */
  compiled?: CompiledExecution<GraphQLContext & ServerContext> | undefined;
}

/**
 * The common request — an authenticated JSON `POST /graphql` of a query or mutation that parses and validates —
 * served straight from node:http with yoga's own envelop instance (the same plugins: armor limits, parser and
 * validation caches, masked errors), instead of converting it into a Fetch Request and Response (about a third of
 * the CPU of a request in the profile). Everything else goes to yoga untouched: before the body is read when the
 * headers already say so (missing or wrong key, other content types, Accept values or CORS), or replayed from the
 * buffered body when it does not parse or validate (nothing has run yet, so yoga answers exactly as it would have).
 * Results with errors are answered by yoga's own result processor; the e2e tests over HTTP pin the behaviour.
 *
 * Hot route: once an operation's exact text has been validated and compiled (see compiled-execution.ts), later
 * requests with that text skip parsing, validation and envelop's per-request hooks and run the compiled query on a
 * context from `contextFor` — at saturation this was 90 µs of CPU per request. A result with errors still goes
 * through envelop's execute hooks (masking) before yoga's result processor; variables that do not coerce run
 * nothing, so such a request takes the usual route.
 * Resolves false when the request is yoga's.
 */
export function createFastPath(options: FastPathOptions) {
  const { yoga, maxBodyBytes, contextFor, compiled } = options;
  const findTenant = perConnection(options.findTenant);
  const hot = createHotOperations();
  /** yoga's envelop instance for this request, its initial context the server's with the parsed params. */
  const envelopedFor = (params: Params, context: ServerContext) =>
    yoga.getEnveloped(Object.assign(context, { params }) as never);

  /** Runs a hot operation; undefined when its variables do not coerce (nothing ran). */
  const runHot = async (operation: HotOperation, params: Params, context: ServerContext) => {
    const contextValue = contextFor(context);
    const args = { document: operation.document, contextValue, variableValues: params.variables };
    const result = await runCompiled(operation.query, args);
    if (!result?.errors) return result;
    // Field errors: envelop's execute hooks see the result as if it had run there (masking unexpected errors).
    compiled?.settle(contextValue, result);
    const enveloped = envelopedFor(params, context);
    return (await enveloped.execute({
      ...args,
      schema: enveloped.schema,
      operationName: params.operationName,
    })) as ExecutionResult;
  };

  /** The usual route: yoga's envelop instance; undefined when the request is yoga's to answer from the start. */
  const runEnveloped = async (params: Params, context: ServerContext): Promise<ExecutionResult | undefined> => {
    const enveloped = envelopedFor(params, context);
    let document: DocumentNode;
    try {
      document = enveloped.parse(params.query);
      const operation = getOperationAST(document, params.operationName);
      // graphql-armor's limits throw from validation rather than returning errors: both are yoga's to answer.
      if (!operation || operation.operation === "subscription" || enveloped.validate(enveloped.schema, document).length)
        return undefined;
    } catch {
      return undefined;
    }
    const contextValue = await enveloped.contextFactory();
    const result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult;
    const query = compiled?.compiled(document);
    if (query) hot.add(params.query, params.operationName, { document, query });
    return result;
  };

  return async (req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<boolean> => {
    const accepted = plainRequest(req, maxBodyBytes);
    if (accepted === undefined) return false;
    const match = findTenant(req);
    if (!match) return false; // yoga's request gate answers 401 exactly as always
    const body = await readBody(req);
    context.auth.tenant = match.runtime;
    const params = plainParams(body);
    if (!params) return replay(yoga, req, res, body, context);
    let result: ExecutionResult | undefined;
    try {
      const operation = hot.get(params.query, params.operationName);
      if (operation) result = await runHot(operation, params, context);
      result ??= await runEnveloped(params, context);
    } catch (error) {
      // Execution reports resolver failures in the result; a throw here is our bug: masked, like yoga masks it.
      context.log.error({ err: error }, "graphql execution failed");
      result = { errors: [new GraphQLError("Unexpected error.", { extensions: { code: "INTERNAL_SERVER_ERROR" } })] };
    }
    if (!result) return replay(yoga, req, res, body, context);
    if (!result.errors?.length && !result.extensions?.http && !(Symbol.asyncIterator in result)) {
      // The plain answer, as yoga's regular result processor writes it.
      const text = JSON.stringify(result);
      res.writeHead(200, {
        "content-type": `${accepted}; charset=utf-8`,
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
      return true;
    }
    await send(res, processRegularResult(normalizeResult(result as never), yoga.fetchAPI, accepted));
    return true;
  };
}

/** The media type yoga would answer with, when nothing but the body can make yoga answer differently. */
function plainRequest(req: IncomingMessage, maxBodyBytes: number): string | undefined {
  if (req.method !== "POST" || req.url !== "/graphql") return undefined;
  const { headers } = req;
  // CORS answers and compressed bodies are yoga's; a sized body only, so the limit is known before reading.
  if (headers.origin !== undefined || headers["content-encoding"] !== undefined) return undefined;
  const type = headers["content-type"];
  if (type !== "application/json" && type !== "application/json; charset=utf-8") return undefined;
  const length = Number(headers["content-length"]);
  if (!(length > 0 && length <= maxBodyBytes) || headers["transfer-encoding"] !== undefined) return undefined;
  return ACCEPTED[headers.accept ?? "*/*"];
}

/** `{query, variables?, operationName?}` exactly; anything else (batches, extensions, odd types) is yoga's. */
function plainParams(body: Buffer): Params | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const params = value as Record<string, unknown>;
  for (const key in params) if (key !== "query" && key !== "variables" && key !== "operationName") return undefined;
  const { query, variables, operationName } = params;
  if (typeof query !== "string") return undefined;
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
  if (operationName != null && typeof operationName !== "string") return undefined;
  return params as unknown as Params;
}

/**
 * The tenant of a request's API key, remembered per keep-alive connection: the next request on the connection
 * with the same Authorization header skips the SHA-256. Comparing the header with the one this connection sent
 * before compares the caller's input with itself, so it tells the caller nothing about anyone's key.
 */
function perConnection<T>(findTenant: (key: string) => T | undefined) {
  const known = new WeakMap<object, { header: string; tenant: T }>();
  return (req: IncomingMessage): T | undefined => {
    const header = req.headers.authorization;
    const last = known.get(req.socket);
    if (last !== undefined && last.header === header) return last.tenant;
    const key = bearerKey(header);
    const tenant = key === undefined ? undefined : findTenant(key);
    if (tenant !== undefined && header !== undefined) known.set(req.socket, { header, tenant });
    return tenant;
  };
}

/** The whole body (listeners, not async iteration, which costs a promise per chunk). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once("error", reject);
    // A client gone mid-body ends the request with close and no end.
    req.once("close", () => {
      if (!req.complete) reject(new Error("the request closed before its body ended"));
    });
  });
}

/** Hands a request whose body was already read to yoga, as a Fetch Request over the same bytes. */
async function replay(
  yoga: FastPathOptions["yoga"],
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  context: ServerContext,
): Promise<true> {
  const headers = new yoga.fetchAPI.Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = `http://${req.headers.host ?? "localhost"}${req.url ?? "/graphql"}`;
  const request = new yoga.fetchAPI.Request(url, { method: "POST", headers, body: new Uint8Array(body) });
  await send(res, await yoga.fetch(request, context));
  return true;
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (response.body !== null || body.length > 0) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}
