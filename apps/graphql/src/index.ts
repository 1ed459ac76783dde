// What other workspace packages use of the service; everything else is internal to it.
export { sandboxExampleIds } from "./embedded.ts";
export { type ExampleIds, exampleOperations } from "./examples.ts";
export type { ClosableSource } from "./sources.ts";
