// The tests run with an environment of their own, whatever the person running them has exported: a
// GATEWAY_URL or GATEWAY_PORT of theirs must not send a test to their gateway or bind their port. The
// variables the project reads are removed before any test starts, except the few that say where the
// tests' own tools are.
const KEPT = new Set([
  "MONGODB_URI", // a real MongoDB to test against instead of the embedded FerretDB
  "CHROMIUM_PATH", // the browser of the browser tests
  "P06_PLAN_TEXT", // the plan's text, for the catalogue's cross-check (CI gives it)
  "P06_COMMUNE_LIST", // the official commune list, for the bundled list's cross-check (CI gives it)
]);

/** The project's variables (see the README's configuration table), by name or prefix. */
const PROJECT_VARIABLE =
  /^(P06_|GATEWAY_|JWT_|OIDC_|SUBGRAPH_|OTEL_|ENGINE_BENCH_|ANSWER_CACHE|FETCH_CACHE|MAX_|(PORT|HOST|LOG_LEVEL|ANONYMOUS_READ|DEDUP|INTROSPECTION|PLAYGROUND|RATE_LIMIT_PER_MINUTE|SUPERGRAPH_PATH|TOKEN_CACHE_SIZE|MONGODB_DATABASE|PLAN_DATABASE)$)/;

export function cleanTestEnvironment(env: NodeJS.ProcessEnv = process.env): string[] {
  const removed = Object.keys(env).filter((name) => PROJECT_VARIABLE.test(name) && !KEPT.has(name));
  for (const name of removed) delete env[name];
  env.NODE_ENV = "test";
  env.APOLLO_TELEMETRY_DISABLED = "1";
  return removed;
}
