// `npm run keycloak -- setup`: fetch Keycloak from Maven Central and build it once into .tools/ (the
// end-to-end test test/keycloak.e2e.ts does the same when it has not been done; CI does it first).
import { ensureKeycloak } from "./lib/keycloak.js";

const log = (line: string) => console.log(`[keycloak] ${line}`);
const command = process.argv[2] ?? "setup";

try {
  if (command !== "setup") {
    console.error(`usage: npm run keycloak -- setup (got "${command}")`);
    process.exit(2);
  }
  const started = Date.now();
  const { home, java } = await ensureKeycloak(log);
  log(
    `ready: ${home}, on Java ${java.version} (${java.home}) (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
} catch (error) {
  console.error(`[keycloak] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
