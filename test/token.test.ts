// `npm run token`, a developer's tool: a token for a person acting for an agency (or an agency's
// service account) with their roles, signed with the key `npm start` keeps (P06_KEYS_DIR, else
// P06_DATA_DIR/keys) and issued as the embedded provider `npm start` runs, its claims where the
// gateway's JWT_* variables put them; a command used wrongly says how to use it, with exit code 2.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { importSPKI, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { createAuthenticator } from "../gateway/src/trust/auth.js";
import { readTokenClaims } from "../gateway/src/trust/claims.js";
import { devKeysDir, ensureDevKeys } from "../gateway/src/trust/keys.js";

const run = promisify(execFile);
/** The embedded provider as `npm start` runs it: the issuer the gateway then expects. */
const EMBEDDED = { issuer: "http://127.0.0.1:4001", audience: "p06-gateway" };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-token-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command; its exit code, stdout and stderr whatever the exit code. */
async function token(args: string[], env: Record<string, string> = {}) {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of Object.keys(environment)) {
    if (/^(JWT|OIDC)_/.test(name) && !(name in env)) delete environment[name];
  }
  for (const name of ["P06_KEYS_DIR", "P06_DATA_DIR"]) {
    if (!(name in env)) delete environment[name];
  }
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/token.ts", ...args],
      { cwd: repoRoot, env: environment },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("npm run token", () => {
  it("finds the keys where npm start keeps them: P06_KEYS_DIR, else P06_DATA_DIR/keys", () => {
    expect(devKeysDir({ P06_DATA_DIR: "/srv/p06" })).toBe("/srv/p06/keys");
    expect(devKeysDir({ P06_DATA_DIR: "/srv/p06", P06_KEYS_DIR: "/etc/p06" })).toBe("/etc/p06");
    expect(devKeysDir({})).toBe(join(repoRoot, "data", "keys"));
  });

  it(
    "signs with the key in the moved data folder, which the gateway then accepts",
    { timeout: 30_000 },
    async () => {
      const dataDir = join(dir, "moved");
      // what npm start generates there and hands the gateway
      const { publicKeyFile } = await ensureDevKeys(join(dataDir, "keys"));
      const issued = await token(["--agency", "DOH", "--days", "2"], { P06_DATA_DIR: dataDir });
      expect(issued).toMatchObject({ code: 0, stderr: "" });
      const key = await importSPKI(await readFile(publicKeyFile, "utf8"), "ES256");
      const { payload } = await jwtVerify(issued.stdout.trim(), key);
      expect(payload).toMatchObject({
        sub: "DOH",
        role: ["data-officer", "agency-head"],
        iss: EMBEDDED.issuer,
      });
      const authenticate = await createAuthenticator({
        publicKeyFile,
        agencies: new Set(["DOH"]),
        anonymousRead: false,
        address: EMBEDDED,
      });
      expect(await authenticate(`Bearer ${issued.stdout.trim()}`)).toEqual({
        sub: "DOH",
        roles: ["data-officer", "agency-head"],
      });
    },
  );

  it(
    "names the person and the agency they act for, where the gateway's claim names say",
    { timeout: 30_000 },
    async () => {
      const keysDir = join(dir, "people");
      const { publicKeyFile } = await ensureDevKeys(keysDir);
      const args = [
        "--agency",
        "DOH",
        "--person",
        "nguyen.van.a",
        "--name",
        "Nguyễn Văn A",
        "--role",
        "agency-head",
      ];
      // as the gateway is configured for Keycloak's realm roles and issuer
      const keycloak = {
        JWT_ISSUER: "https://sso.haiphong.gov.vn/realms/p06",
        JWT_ROLE_CLAIM: "realm_access.roles",
        JWT_AGENCY_HEAD_ROLE: "p06-agency-head",
      };
      const [plain, shaped] = await Promise.all([
        token(args, { P06_KEYS_DIR: keysDir }),
        token(args, { P06_KEYS_DIR: keysDir, ...keycloak }),
      ]);
      expect(plain).toMatchObject({ code: 0, stderr: "" });
      expect(shaped).toMatchObject({ code: 0, stderr: "" });
      const key = await importSPKI(await readFile(publicKeyFile, "utf8"), "ES256");
      expect((await jwtVerify(plain.stdout.trim(), key)).payload).toMatchObject({
        sub: "nguyen.van.a",
        name: "Nguyễn Văn A",
        agency: "DOH",
        role: ["agency-head"],
        iss: EMBEDDED.issuer,
      });
      expect((await jwtVerify(shaped.stdout.trim(), key)).payload).toMatchObject({
        sub: "nguyen.van.a",
        agency: "DOH",
        realm_access: { roles: ["p06-agency-head"] },
        iss: keycloak.JWT_ISSUER,
      });
      const person = { id: "nguyen.van.a", name: "Nguyễn Văn A" };
      const plainGateway = await createAuthenticator({
        publicKeyFile,
        agencies: new Set(["DOH"]),
        anonymousRead: false,
        address: EMBEDDED,
      });
      expect(await plainGateway(`Bearer ${plain.stdout.trim()}`)).toEqual({
        sub: "DOH",
        roles: ["agency-head"],
        person,
      });
      const { names, address } = readTokenClaims(keycloak);
      const keycloakGateway = await createAuthenticator({
        publicKeyFile,
        agencies: new Set(["DOH"]),
        anonymousRead: false,
        claimNames: names,
        address,
      });
      expect(await keycloakGateway(`Bearer ${shaped.stdout.trim()}`)).toEqual({
        sub: "DOH",
        roles: ["agency-head"],
        person,
      });
    },
  );

  it(
    "says how to use it, with exit code 2, when it is used wrongly",
    { timeout: 45_000 },
    async () => {
      const keys = { P06_KEYS_DIR: join(dir, "keys") };
      const cases: [string[], RegExp][] = [
        [[], /say whom the token is for: --agency CODE, --ioc or --commune CODE/],
        [["--agency", "DOH", "--ioc"], /give one of --agency CODE, --ioc or --commune CODE/],
        [["--commune", "99999", "--person", "x"], /unknown commune "99999"/],
        [["--commune", "10525"], /a commune's token is a person's/],
        [
          ["--commune", "10525", "--person", "x", "--role", "agency-head"],
          /--role agency-head is not a role of a commune: give commune-officer or commune-chair/,
        ],
        [["--agency", "NOBODY"], /unknown agency "NOBODY"/],
        [["--ioc", "--days", "0"], /--days must be a whole number from 1 to 366, got "0"/],
        [["--ioc", "--weeks", "2"], /Unknown option '--weeks'/],
        [["--agency", "DOH", "--name", "Nguyễn Văn A"], /--name names a person: give their id/],
        [
          ["--ioc", "--role", "data-officer"],
          /--role data-officer is not a role of the IOC: give ioc-viewer or ioc-reviewer/,
        ],
      ];
      const answers = await Promise.all(cases.map(([args]) => token(args, keys)));
      answers.forEach((answer, i) => {
        expect(answer.code, cases[i]![0].join(" ")).toBe(2);
        expect(answer.stdout).toBe("");
        expect(answer.stderr).toMatch(cases[i]![1]);
        expect(answer.stderr).toContain(
          "usage: npm run token -- --agency CODE | --ioc | --commune CODE [--person ID [--name NAME]] [--role ROLE]... [--days N]",
        );
        expect(answer.stderr).not.toMatch(/claim/);
      });
      const help = await token(["--help"], keys);
      expect(help).toMatchObject({ code: 0, stderr: "" });
      expect(help.stdout).toContain("usage: npm run token");
    },
  );
});
