// What the graph relies on from a subgraph, whatever it is built with (docs/adding-an-agency.md, "A subgraph not built
// on the kit"), checked against a running one: its health endpoints, its data version, that it
// refuses requests the gateway did not sign, and that its schema composes with everyone else's
// published schemas without breaking a client operation.
import { readFileSync } from "node:fs";
import { signRequest } from "@p06/subgraph-kit";
import {
  breakingChanges,
  clientOperations,
  composeSupergraph,
  supergraphPath,
} from "./composition.js";
import { publishedSdls } from "./subgraph-schemas.js";

export interface Check {
  /** What the graph relies on. */
  rule: string;
  ok: boolean;
  /** What was found, when it is not what the graph needs. */
  detail?: string;
}

export interface ConformanceTarget {
  /** Its name in the graph (one of the published subgraphs, or a new one). */
  name: string;
  /** Its GraphQL endpoint, e.g. http://10.0.0.5:4104/graphql. */
  url: string;
  /** The secret it shares with the gateway. */
  secret: string;
}

const TIMEOUT_MS = 10_000;
/** The header every answer carries: the version its data was read at (gateway/src/serving/data-versions.ts). */
const DATA_VERSION_HEADER = "x-p06-data-version";

async function get(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported by the check that needs it
  }
  return { status: response.status, json };
}

type GraphQLBody = { data?: Record<string, unknown>; errors?: unknown[] };

async function post(url: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  let json: GraphQLBody | null = null;
  try {
    json = JSON.parse(text) as GraphQLBody;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, json };
}

/** Runs one check, turning a network failure into a failed check. */
async function check(rule: string, run: () => Promise<string | null>): Promise<Check> {
  try {
    const problem = await run();
    return problem === null ? { rule, ok: true } : { rule, ok: false, detail: problem };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    return { rule, ok: false, detail: cause instanceof Error ? cause.message : String(cause) };
  }
}

export async function checkConformance(target: ConformanceTarget): Promise<Check[]> {
  const base = target.url.replace(/\/graphql$/, "");
  const sdlQuery = JSON.stringify({ query: "{ _service { sdl } }" });
  const signed = (body: string, secret = target.secret, now = Date.now()) =>
    signRequest(secret, { sub: "IOC", roles: ["ioc-viewer"] }, body, now);
  const read: { sdl: string | null } = { sdl: null };

  const checks = [
    await check("GET /healthz answers 200 while the process runs", async () => {
      const { status } = await get(`${base}/healthz`);
      return status === 200 ? null : `answered ${status}`;
    }),
    await check("GET /readyz answers 200 once it serves (503 before)", async () => {
      const { status } = await get(`${base}/readyz`);
      return status === 200 ? null : `answered ${status}`;
    }),
    await check("GET /version answers its data version, a whole number", async () => {
      const { status, json } = await get(`${base}/version`);
      const version = (json as { version?: unknown } | null)?.version;
      return status === 200 && Number.isInteger(version)
        ? null
        : `answered ${status} ${JSON.stringify(json)}`;
    }),
    await check("refuses an unsigned request with 401", async () => {
      const { status } = await post(target.url, sdlQuery, {});
      return status === 401 ? null : `answered ${status}`;
    }),
    await check("refuses a request signed with another secret with 401", async () => {
      const { status } = await post(target.url, sdlQuery, signed(sdlQuery, `${target.secret}x`));
      return status === 401 ? null : `answered ${status}`;
    }),
    await check("refuses a signature more than 5 minutes old with 401", async () => {
      const { status } = await post(
        target.url,
        sdlQuery,
        signed(sdlQuery, target.secret, Date.now() - 10 * 60_000),
      );
      return status === 401 ? null : `answered ${status}`;
    }),
    await check("refuses a signed request whose body was altered with 401", async () => {
      const headers = signed(sdlQuery);
      const altered = JSON.stringify({ query: "{ _service { sdl } __typename }" });
      const { status } = await post(target.url, altered, headers);
      return status === 401 ? null : `answered ${status}`;
    }),
    await check(
      `answers a signed request with its schema (_service.sdl) and the ${DATA_VERSION_HEADER} header`,
      async () => {
        const { status, headers, json } = await post(target.url, sdlQuery, signed(sdlQuery));
        const found = (json?.data?._service as { sdl?: unknown } | undefined)?.sdl;
        if (status !== 200 || typeof found !== "string")
          return `answered ${status} ${JSON.stringify(json).slice(0, 200)}`;
        read.sdl = found;
        const version = headers.get(DATA_VERSION_HEADER);
        return version !== null && /^\d+$/.test(version)
          ? null
          : `no whole-number ${DATA_VERSION_HEADER} header (got ${version})`;
      },
    ),
  ];
  checks.push(
    await check(
      "its schema composes with the other published subgraphs and breaks no client operation",
      async () => {
        const { sdl } = read;
        if (sdl === null) return "its schema could not be read (see above)";
        const others = publishedSdls().filter((s) => s.name !== target.name);
        const composed = composeSupergraph([
          ...others,
          { name: target.name, url: target.url, sdl },
        ]);
        const broken = breakingChanges(
          readFileSync(supergraphPath, "utf8"),
          composed,
          clientOperations(),
        );
        return broken.length === 0 ? null : broken.join("; ");
      },
    ),
  );
  return checks;
}
