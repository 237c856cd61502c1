// The embedded provider's people: read from a JSON file (demo-accounts.json beside this module, or
// OIDC_ACCOUNTS_FILE), each a login, a name, the agency (or IOC, or COMMUNE with the commune's code)
// they act for, their roles and a bcrypt
// hash of their password. The file holds no password; the demo one is published in the README and the
// start banner, since every demo account shares it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import bcrypt from "bcryptjs";
import { bundledReportingUnits, catalogue } from "@p06/catalogue";
import { COMMUNE, ConfigError, isPersonField, rolesFor, type Role } from "@p06/subgraph-kit";

/** The demo accounts' password (README, `npm start`'s banner). */
export const DEMO_PASSWORD = "HaiPhong@06";

export const defaultAccountsFile = fileURLToPath(new URL("./demo-accounts.json", import.meta.url));

export interface Account {
  /** What they type to sign in; also their stable id (the token's subject). */
  login: string;
  /** Their name as shown. */
  name: string;
  /** The agency's code they act for, IOC, or COMMUNE for a commune's person. */
  agency: string;
  /** The commune's code (its reporting unit's) a commune's person acts for; absent for anybody else. */
  commune?: string;
  roles: Role[];
  /** Their position, as the accounts table says it (Vietnamese). */
  title: string;
  passwordHash: string;
}

const LOGIN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** The accounts in `file`, each checked: a malformed one stops start-up, naming it. */
export function readAccounts(file: string = defaultAccountsFile): Account[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`the accounts file ${file} cannot be read: ${(error as Error).message}`);
  }
  if (!Array.isArray(entries)) throw new ConfigError(`the accounts file ${file} is not a list`);
  const agencies = new Set(["IOC", COMMUNE, ...catalogue.agencies.map((agency) => agency.code)]);
  const communes = new Set(bundledReportingUnits().map((unit) => unit.code));
  const seen = new Set<string>();
  return entries.map((entry: Partial<Account>, index) => {
    const where = `the accounts file ${file}, entry ${index + 1} (${JSON.stringify(entry?.login)})`;
    const fail = (what: string) => new ConfigError(`${where}: ${what}`);
    if (typeof entry?.login !== "string" || !LOGIN.test(entry.login)) {
      throw fail("login must be lower-case letters, digits, dot, dash or underscore");
    }
    if (seen.has(entry.login)) throw fail("the login is given twice");
    seen.add(entry.login);
    if (!isPersonField(entry.name)) throw fail("name must be text of 1 to 256 characters");
    if (typeof entry.agency !== "string" || !agencies.has(entry.agency)) {
      throw fail("agency must be an agency's code of the plan, IOC or COMMUNE");
    }
    if (
      entry.agency === COMMUNE ? !communes.has(entry.commune ?? "") : entry.commune !== undefined
    ) {
      throw fail("commune must be a commune's code for a COMMUNE account, and only for one");
    }
    const allowed: readonly string[] = rolesFor(entry.agency);
    if (
      !Array.isArray(entry.roles) ||
      entry.roles.length === 0 ||
      !entry.roles.every((role) => allowed.includes(role))
    ) {
      throw fail(`roles must be one or more of ${allowed.join(", ")}`);
    }
    if (typeof entry.passwordHash !== "string" || !BCRYPT_HASH.test(entry.passwordHash)) {
      throw fail("passwordHash must be a bcrypt hash");
    }
    return {
      login: entry.login,
      name: entry.name,
      agency: entry.agency,
      ...(entry.commune !== undefined && { commune: entry.commune }),
      roles: [...entry.roles],
      title: typeof entry.title === "string" ? entry.title : "",
      passwordHash: entry.passwordHash,
    };
  });
}

/** A hash no password matches, checked against when the login is unknown: both take as long. */
const NO_ACCOUNT = bcrypt.hashSync("no account has this password", 10);

export class AccountBook {
  private readonly byLogin: Map<string, Account>;

  constructor(readonly accounts: Account[]) {
    this.byLogin = new Map(accounts.map((account) => [account.login, account]));
  }

  find(login: string): Account | undefined {
    return this.byLogin.get(login);
  }

  /** The account whose login and password these are, or null (unknown login or wrong password). */
  async signIn(login: string, password: string): Promise<Account | null> {
    const account = this.byLogin.get(login.trim().toLowerCase());
    const matches = await bcrypt.compare(password, account?.passwordHash ?? NO_ACCOUNT);
    return account && matches ? account : null;
  }
}
