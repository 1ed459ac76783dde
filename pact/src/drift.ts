// Contract drift is a reviewed change, never a silent one: after the consumer tests regenerate pact/pacts,
// the files must equal the committed ones. In CI a difference fails the run; locally it is a reminder.
import { execFileSync } from "node:child_process";
import { pactsDir } from "./documents.ts";

const changed = execFileSync("git", ["status", "--porcelain", "--", pactsDir], { encoding: "utf8" }).trim();

if (!changed) {
  console.log("pact drift: the regenerated pact files equal the committed ones");
} else {
  const diff = execFileSync("git", ["diff", "--stat", "--", pactsDir], { encoding: "utf8" });
  console.error(`pact drift: the consumer tests produced different pact files:\n${changed}\n${diff}`);
  console.error("Review the change (git diff pact/pacts) and commit it if it is intended.");
  if (process.env.CI) process.exit(1);
}
