// `npm run build:web`: the web application's types and bundle (see lib/web.ts). `--codegen` only
// generates the types (the type check needs them), `--force` builds even when nothing changed.
import { ensureWebBuilt, generateWebTypes } from "./lib/web.js";

const log = (line: string) => console.log(`[web] ${line}`);
if (process.argv.includes("--codegen")) {
  await generateWebTypes();
} else if (!(await ensureWebBuilt(log, { force: process.argv.includes("--force") }))) {
  log("the web application is current");
}
