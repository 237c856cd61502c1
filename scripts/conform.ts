// `npm run subgraph:conform -- --name NAME --secret SECRET URL`: checks a running subgraph, built on
// the kit or not, against what the graph relies on (scripts/lib/conformance.ts) and says what it lacks.
// The secret may come from P06_<NAME>_SECRET instead. Exit codes: 0 conforms, 1 lacks something, 2
// used wrongly.
import { parseArgs } from "node:util";
import { secretVariable } from "@p06/catalogue";
import { checkConformance } from "./lib/conformance.js";

const usage = "usage: npm run subgraph:conform -- --name NAME [--secret SECRET] URL";

let parsed;
try {
  parsed = parseArgs({
    options: { name: { type: "string" }, secret: { type: "string" } },
    allowPositionals: true,
  });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
const [url] = parsed.positionals;
const name = parsed.values.name;
const secret = parsed.values.secret ?? (name && process.env[secretVariable(name)]?.trim());
if (!url || !name || !secret || !/^https?:\/\/[^/]/.test(url)) {
  console.error(usage);
  process.exit(2);
}

const checks = await checkConformance({ name, url, secret });
for (const c of checks)
  console.log(`${c.ok ? "✓" : "✗"} ${c.rule}${c.detail ? `\n    ${c.detail}` : ""}`);
const failed = checks.filter((c) => !c.ok).length;
console.log(
  failed === 0
    ? `${name} at ${url} keeps the contract (${checks.length} checks)`
    : `${name} at ${url} lacks ${failed} of ${checks.length} checks`,
);
process.exit(failed === 0 ? 0 : 1);
