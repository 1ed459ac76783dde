/**
 * Test helpers shared with other packages' tests (`@taskbridge/http/test-support`), kept out of the public index.
 */

export { type Loopback, type SeenRequest, sendJson, startLoopback } from "./loopback.ts";
export { type RedisServer, startRedisServer } from "./redis-server.ts";
