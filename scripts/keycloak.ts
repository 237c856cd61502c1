// `npm run setup` runs `keycloak.ts setup`: fetch Keycloak from Maven Central and build it once into
// .tools/ (test/keycloak.e2e.ts does the same when it has not been done). Without a Java of 21 or
// later, or without Maven, it fails, saying what to install.
import { ensureKeycloak } from "./lib/keycloak.js";
import { seconds } from "./lib/progress.js";

const log = (line: string) => console.log(`[keycloak] ${line}`);
const command = process.argv[2] ?? "setup";

try {
  if (command !== "setup") {
    console.error(`usage: tsx scripts/keycloak.ts setup (got "${command}")`);
    process.exit(2);
  }
  const started = Date.now();
  const { home, java } = await ensureKeycloak(log);
  log(`ready: ${home}, on Java ${java.version} (${java.home}) (${seconds(Date.now() - started)})`);
} catch (error) {
  console.error(`[keycloak] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
