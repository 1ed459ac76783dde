// The vendors will never run our pacts, so the sandbox simulators stand in as their providers: every
// interaction of every committed pact is replayed against them. The sandbox can never drift from the clients.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Verifier, type VerifierOptions } from "@pact-foundation/pact";
import { type Sandbox, startSandbox, VENDORS, type Vendor } from "@taskbridge/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, type Provider, pactFile, readPact } from "./documents.ts";

/** The credentials the consumer tests put in the pacts; the sandbox accepts exactly these. */
const CONTRACT_CREDENTIALS = {
  maxai: { apiKey: "max_dev_ak_contract_test", organizationId: "org_contract_test" },
  cakewalk: { apiKey: "ck_contract_key", apiSecret: "ck_contract_secret" },
  capy: { token: "capy_contract_token" },
  maxsight: { apiKey: "ms_contract_key" },
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ credentials: CONTRACT_CREDENTIALS });
});
afterAll(async () => {
  await sandbox?.close();
});

async function verify(provider: Provider, pactUrl: string): Promise<unknown> {
  const simulator = (VENDORS as readonly string[]).includes(provider) ? sandbox.vendors[provider as Vendor] : undefined;
  if (!simulator) {
    throw new Error(
      `pact/pacts/taskbridge-${provider}.json is never verified: @taskbridge/sandbox simulates no vendor ${provider}; ` +
        "add its simulator there (packages/sandbox/README.md), with a handler for each provider state the pact names",
    );
  }
  const stateHandlers: NonNullable<VerifierOptions["stateHandlers"]> = {};
  for (const [state, handler] of Object.entries(simulator.states)) {
    stateHandlers[state] = async (params) => {
      handler((params ?? {}) as Record<string, unknown>);
    };
  }
  return new Verifier({
    provider,
    providerBaseUrl: new URL(simulator.url).origin,
    pactUrls: [pactUrl],
    stateHandlers,
    beforeEach: async () => sandbox.reset(),
    logLevel: "warn",
  }).verifyProvider();
}

describe("the committed pacts", () => {
  it("include one for every vendor the sandbox simulates", () => {
    expect(PROVIDERS).toEqual(expect.arrayContaining([...VENDORS]));
  });
});

describe.each(PROVIDERS)("the %s simulator as the pact's provider", (provider) => {
  it("honours every interaction", async () => {
    // A pact with no interactions would verify without replaying anything.
    expect((readPact(provider) as { interactions: unknown[] }).interactions.length).toBeGreaterThan(0);
    await expect(verify(provider, pactFile(provider))).resolves.toBeDefined();
  }, 60_000);
});

describe("the verification itself", () => {
  it("fails when a pact expects something the simulator does not answer", async () => {
    const pact = readPact("maxsight") as { interactions: Array<{ response: { status: number } }> };
    const tampered = structuredClone(pact);
    for (const interaction of tampered.interactions) interaction.response.status = 418;
    const file = join(mkdtempSync(join(tmpdir(), "pact-")), "tampered.json");
    writeFileSync(file, JSON.stringify(tampered));
    await expect(verify("maxsight", file)).rejects.toThrow();
  }, 60_000);

  it("refuses a pact whose provider the sandbox does not simulate, saying what to add", async () => {
    await expect(verify("tasklane", pactFile("capy"))).rejects.toThrow(
      "pact/pacts/taskbridge-tasklane.json is never verified: @taskbridge/sandbox simulates no vendor tasklane",
    );
  });
});
