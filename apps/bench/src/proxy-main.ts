/** Child process: the hand-written proxy (the limit). Input on stdin: ProxyOptions. Prints {"port"} when listening. */
import type { AddressInfo } from "node:net";
import { readStdinJson } from "./child.ts";
import { createProxy, type ProxyOptions } from "./proxy.ts";

const options = await readStdinJson<ProxyOptions>();
const proxy = createProxy(options);
proxy.server.listen(0, "127.0.0.1", () => {
  const { port } = proxy.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.once("SIGTERM", () => {
  void proxy.close().then(() => process.exit(0));
});
