import { buildSchema, type ExecutionArgs, GraphQLError, parse, execute as standardExecute } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { createCompiledExecution } from "./compiled-execution.ts";

const schema = buildSchema(
  "type Query { hello(name: String!): String } type Mutation { hello(name: String!): String }",
);
const hello = schema.getQueryType()?.getFields().hello;
if (hello) {
  hello.resolve = (root: { greeting: string }, args) => {
    if (args.name === "fail") throw new GraphQLError("no such name", { extensions: { code: "BAD_USER_INPUT" } });
    return `${root.greeting} ${args.name}`;
  };
}
const rootValue = { greeting: "hello" };

/** Runs the plugin's onExecute hook for one execution; returns the execute function it installed, if any. */
function execute({ plugin }: ReturnType<typeof createCompiledExecution>, args: ExecutionArgs) {
  let installed: ((args: ExecutionArgs) => unknown) | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the hook's full payload is envelop's; the plugin reads these three
  (plugin.onExecute as any)({
    args,
    executeFn: standardExecute,
    setExecuteFn: (fn: typeof installed) => (installed = fn),
  });
  return installed;
}

describe("createCompiledExecution", () => {
  it("compiles a document on its `after`-th execution and runs it compiled from then on", async () => {
    const plugin = createCompiledExecution({ after: 3 });
    const args = { schema, document: parse('{ hello(name: "jit") }'), rootValue };
    expect(execute(plugin, args)).toBeUndefined();
    expect(execute(plugin, args)).toBeUndefined();
    const third = execute(plugin, args);
    const fourth = execute(plugin, args);
    expect(third).toBeTypeOf("function");
    expect(fourth).toBeTypeOf("function");
    expect(await third?.(args)).toEqual({ data: { hello: "hello jit" } });
    // Another document counts on its own.
    expect(execute(plugin, { ...args, document: parse('{ hello(name: "x") }') })).toBeUndefined();
  });

  it("passes each execution's own variables and root to the compiled query", async () => {
    const plugin = createCompiledExecution({ after: 1 });
    const document = parse("query Q($n: String!) { hello(name: $n) }");
    const run = execute(plugin, { schema, document, rootValue });
    expect(await run?.({ schema, document, rootValue, variableValues: { n: "a" } })).toEqual({
      data: { hello: "hello a" },
    });
    expect(await run?.({ schema, document, rootValue, variableValues: { n: "b" } })).toEqual({
      data: { hello: "hello b" },
    });
  });

  it("answers variables that do not coerce with the standard executor's errors", async () => {
    const plugin = createCompiledExecution({ after: 1 });
    const args = {
      schema,
      document: parse("query Q($n: String!) { hello(name: $n) }"),
      rootValue,
      variableValues: { n: 5 },
    };
    const run = execute(plugin, args);
    expect(JSON.stringify(await run?.(args))).toBe(JSON.stringify(await standardExecute(args)));
  });

  it("gives field errors graphql-js' shape: locations, path, extensions, errors before data", async () => {
    const plugin = createCompiledExecution({ after: 1 });
    const args = { schema, document: parse('{\n  a: hello(name: "x")\n  b: hello(name: "fail") }'), rootValue };
    const run = execute(plugin, args);
    const compiled = JSON.stringify(await run?.(args));
    expect(compiled).toBe(JSON.stringify(await standardExecute(args)));
    expect(JSON.parse(compiled).errors[0].locations).toEqual([{ line: 3, column: 3 }]);
  });

  it("leaves a document it cannot compile to the standard executor, and reports it once", () => {
    const onCompileError = vi.fn();
    const plugin = createCompiledExecution({ after: 1, onCompileError });
    const args = { schema, document: parse('query A { hello(name: "x") }'), operationName: "Nope", rootValue };
    expect(execute(plugin, args)).toBeUndefined();
    expect(execute(plugin, args)).toBeUndefined();
    expect(onCompileError).toHaveBeenCalledTimes(1);
  });

  it("exposes the compiled query of a document once it is compiled", () => {
    const compiled = createCompiledExecution({ after: 2 });
    const args = { schema, document: parse('{ hello(name: "x") }'), rootValue };
    execute(compiled, args);
    expect(compiled.compiled(args.document)).toBeUndefined();
    execute(compiled, args);
    expect(compiled.compiled(args.document)?.query).toBeTypeOf("function");
  });

  it("answers a settled result once, for the context value it was settled for", async () => {
    const compiled = createCompiledExecution({ after: 100 });
    const contextValue = {};
    const result = { data: { hello: "settled" } };
    compiled.settle(contextValue, result);
    const args = { schema, document: parse('{ hello(name: "x") }'), rootValue, contextValue };
    expect(await execute(compiled, { ...args, contextValue: {} })).toBeUndefined();
    expect(await execute(compiled, args)?.(args)).toBe(result);
    expect(execute(compiled, args)).toBeUndefined();
  });

  it("never compiles a mutation", () => {
    const onCompileError = vi.fn();
    const plugin = createCompiledExecution({ after: 1, onCompileError });
    const document = parse('mutation { hello(name: "a") }');
    expect(execute(plugin, { schema, document, rootValue })).toBeUndefined();
    expect(onCompileError).not.toHaveBeenCalled();
  });

  it("never compiles a document of several operations", () => {
    const onCompileError = vi.fn();
    const plugin = createCompiledExecution({ after: 1, onCompileError });
    const document = parse('query A { hello(name: "a") } query B { hello(name: "b") }');
    expect(execute(plugin, { schema, document, operationName: "B", rootValue })).toBeUndefined();
    expect(onCompileError).not.toHaveBeenCalled();
  });
});
