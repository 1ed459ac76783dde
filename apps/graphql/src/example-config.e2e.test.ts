import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const ROOT_SCRIPTS = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).scripts;
/** What `npm run serve` runs, through the bootstrap, at the repo root. */
const SERVE: string = ROOT_SCRIPTS["serve:run"];
/** The caller key .env.example states for the example; the file holds only its digest. */
const STATED_KEY = "tb_acme_example_key";

async function post(url: string, key: string, query = "{ __typename }") {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output());
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before listening:\n${output()}`)));
  });
}

describe("taskbridge.example.json with the serve script (npm run serve)", () => {
  it("starts the service in production and accepts the example's stated caller key, no other", async () => {
    // The script's own words (leading NAME=value assignments, then the command), run without a shell so that
    // SIGTERM reaches the service itself.
    const words = SERVE.split(" ");
    const commandAt = words.findIndex((word) => !/^[A-Z_]+=/.test(word));
    const [command, ...args] = words.slice(commandAt);
    expect(command).toBe("node");
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...Object.fromEntries(words.slice(0, commandAt).map((word) => word.split("=", 2))),
        PATH: process.env.PATH,
        TASKBRIDGE_CONFIG: "apps/graphql/taskbridge.example.json",
        HOST: "127.0.0.1",
        PORT: "0",
        ACME_MAXAI_API_KEY: "example-maxai-key",
        ACME_CAKEWALK_API_KEY: "example-cakewalk-key",
        ACME_CAKEWALK_API_SECRET: "example-cakewalk-secret",
        ACME_CAPY_TOKEN: "example-capy-token",
        ACME_MAXSIGHT_API_KEY: "example-maxsight-key",
      },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = once(child, "exit");
    try {
      const url = await waitForUrl(child, () => output);
      expect(output).toContain('"tenants":["acme"]');
      expect(await post(url, STATED_KEY)).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
      const stranger = await post(url, "tb_not_the_example_key");
      expect(stranger.status).toBe(401);
      expect(stranger.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
      // NODE_ENV=production from the script: introspection is off.
      const introspection = await post(url, STATED_KEY, "{ __schema { queryType { name } } }");
      expect(introspection.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    } finally {
      if (child.exitCode === null) child.kill("SIGTERM");
    }
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
