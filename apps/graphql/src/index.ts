export { type App, type AppOptions, createApp, DEFAULT_LIMITS, type Limits } from "./app.ts";
export { createContext, type GraphQLContext, type RequestScope, type Tenant } from "./context.ts";
export { DEMO_TENANT_ID, demoConfig, sandboxExampleIds, startEmbedded } from "./embedded.ts";
export { type Env, EnvError, readEnv } from "./env.ts";
export { ERROR_CODES, type ErrorCode, type ErrorExtensions, publicError } from "./errors.ts";
export { type ExampleIds, exampleOperations } from "./examples.ts";
export { globalId, vendorIdFrom } from "./global-id.ts";
export { createLogger, type LoggerOptions } from "./logger.ts";
export { printedSchema, schema } from "./schema.ts";
export { type RunningServer, type ServerOptions, startServer } from "./server.ts";
export { type ClosableSource, createTenantSources, type SourceOptions, type TenantSources } from "./sources.ts";
export {
  ConfigError,
  type Connections,
  connectionSecrets,
  digestKey,
  type ResolvedTenant,
  resolveConfig,
  type TaskbridgeConfigInput,
  taskbridgeConfig,
} from "./tenants.ts";
