import { type DocumentNode, type ExecutionResult, GraphQLError, getOperationAST } from "graphql";
import type { GraphQLParams } from "./http/params.ts";

/** What `getEnveloped` gives for one operation: envelop's phases, each running every plugin's hooks. */
interface Enveloped {
  parse(source: string): DocumentNode;
  validate(schema: unknown, document: DocumentNode): readonly GraphQLError[];
  contextFactory(): Promise<unknown> | unknown;
  execute(args: object): Promise<unknown> | unknown;
  schema: unknown;
}

export interface Outcome {
  result: ExecutionResult;
  /**
   * The request could not be executed (it does not parse or validate, names no operation, or its variables do not
   * coerce): GraphQL over HTTP answers those 400 with application/graphql-response+json.
   */
  requestError: boolean;
  /** A mutation sent with GET: 405, Allow: POST. */
  mutationViaGet?: boolean;
  /** The operation's name, for the access log and metrics (a GraphQL name, shortened to 100 characters). */
  operationName: string | undefined;
}

/**
 * Runs one GraphQL operation through envelop, phase by phase as yoga's own request processor does: parse,
 * operation checks, validate, build the context, execute. Every phase runs every plugin's hooks once, so nothing
 * reaches a resolver without passing all of them; the parser and validation caches are plugins like the rest.
 * `context` is the operation's, whole: envelop's initial context, which plugins' context hooks may still extend.
 */
export async function runOperation(
  getEnveloped: (initialContext: object) => Enveloped,
  params: GraphQLParams,
  method: string,
  context: object,
): Promise<Outcome> {
  const enveloped = getEnveloped({ ...context, params });
  let document: DocumentNode;
  try {
    document = enveloped.parse(params.query);
  } catch (error) {
    return refused(error, shortName(params.operationName ?? undefined));
  }
  const operation = getOperationAST(document, params.operationName);
  const operationName = shortName(operation?.name?.value ?? params.operationName ?? undefined);
  if (!operation) {
    const message = params.operationName
      ? `Unknown operation named "${params.operationName.slice(0, 100)}".`
      : "Could not determine what operation to execute: give operationName.";
    return refused(new GraphQLError(message), operationName);
  }
  if (operation.operation === "subscription") {
    return refused(new GraphQLError("Subscriptions are not supported."), operationName);
  }
  if (method === "GET" && operation.operation === "mutation") {
    const error = new GraphQLError("Mutations must be sent with POST.");
    return { ...refused(error, operationName), mutationViaGet: true };
  }
  try {
    const errors = enveloped.validate(enveloped.schema, document);
    if (errors.length > 0) return { result: { errors }, requestError: true, operationName };
  } catch (error) {
    // A rule may throw its error instead of reporting it (graphql-armor's do unless told not to; ours are).
    return refused(error, operationName);
  }
  const contextValue = await enveloped.contextFactory();
  const result = (await enveloped.execute({
    schema: enveloped.schema,
    document,
    contextValue,
    variableValues: params.variables,
    operationName: params.operationName,
  })) as ExecutionResult;
  // Without `data` nothing ran: the variables did not coerce, or a plugin refused the operation before it started.
  return { result, requestError: !("data" in result), operationName };
}

/** GraphQL's Name: the only text an operation can be named by. */
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Operation names are the caller's: access lines and metric labels keep a GraphQL name, at most its first 100
 * characters, and nothing of other text sent as `operationName` (it names no operation, and the metrics' text format
 * would carry its control characters, terminal escapes included, as they are).
 */
function shortName(name: string | undefined): string | undefined {
  if (name === undefined || !NAME.test(name)) return undefined;
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

function refused(error: unknown, operationName: string | undefined): Outcome {
  if (!(error instanceof GraphQLError)) throw error;
  return { result: { errors: [error] }, requestError: true, operationName };
}
