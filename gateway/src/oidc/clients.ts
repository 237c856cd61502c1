// The embedded provider's clients. The dashboard: a public client (no secret: a page cannot keep one)
// signing people in with the authorization code and PKCE, back to the gateway's own origin. Machines:
// confidential clients using client credentials, each acting as one agency's (or the IOC's) service
// account with the roles its work needs; their secrets are generated once into the keys folder.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogue } from "@p06/catalogue";
import type { Role } from "@p06/subgraph-kit";

/** The dashboard's client id (the pages' OpenID Connect client). */
export const DASHBOARD_CLIENT_ID = "p06-dashboard";
/** Where the provider sends a person back, on each of the gateway's origins, after signing in. */
export const SIGN_IN_CALLBACK_PATH = "/dang-nhap";
/** Where a page renews its session in a hidden frame (prompt=none), if it renews that way. */
export const SILENT_RENEW_PATH = "/dang-nhap/gia-han";
/** Where a person lands after signing out. */
export const SIGNED_OUT_PATH = "/";

/** The dashboard client's redirect URIs on the gateway's origins: exactly these are accepted. */
export function dashboardRedirects(origins: readonly string[]) {
  return {
    redirect_uris: origins.flatMap((origin) => [
      `${origin}${SIGN_IN_CALLBACK_PATH}`,
      `${origin}${SILENT_RENEW_PATH}`,
    ]),
    post_logout_redirect_uris: origins.map((origin) => `${origin}${SIGNED_OUT_PATH}`),
  };
}

export interface MachineClient {
  clientId: string;
  /** The service account it acts as: an agency's code, or IOC. */
  agency: string;
  roles: Role[];
  /** What it is for (the start banner, the README). */
  purpose: string;
}

/** The machine whose client credentials each command uses (scripts/lib/command-token.ts). */
export const REMINDERS_CLIENT_ID = "p06-reminders";
export const REPORTS_CLIENT_ID = "p06-reports";
/** An agency's importer: `import:report` for that agency. */
export const importerClientId = (agency: string) => `p06-import-${agency.toLowerCase()}`;

/**
 * The machines: the reminders scheduler and the IOC's report commands read as the IOC; each agency's
 * importer enters its figures as that agency's data officer would.
 */
export function machineClients(): MachineClient[] {
  return [
    {
      clientId: REMINDERS_CLIENT_ID,
      agency: "IOC",
      roles: ["ioc-viewer"],
      purpose: "the reminders scheduler (plan subgraph)",
    },
    {
      clientId: REPORTS_CLIENT_ID,
      agency: "IOC",
      roles: ["ioc-viewer"],
      purpose: "report:month, export:values, reminders (command)",
    },
    ...reportingAgencies().map((agency): MachineClient => ({
      clientId: importerClientId(agency),
      agency,
      roles: ["data-officer"],
      purpose: `import:report and template for ${agency}`,
    })),
  ];
}

/** The agencies that report an indicator of the plan, in the catalogue's order. */
function reportingAgencies(): string[] {
  const reporting = new Set(
    catalogue.indicators.flatMap((indicator) => indicator.trackingAgencies),
  );
  return catalogue.agencies.map((agency) => agency.code).filter((code) => reporting.has(code));
}

/** The file of the machines' secrets (and the provider's cookie keys) in the keys folder. */
export const providerSecretsFile = (keysDir: string) => join(keysDir, "oidc-secrets.json");

export interface ProviderSecrets {
  /** Keys signing the provider's cookies (the first signs, all verify). */
  cookieKeys: string[];
  /** Each machine client's secret. */
  clients: Record<string, string>;
}

/** The secrets in `keysDir`, any missing one generated and kept (readable by its owner only). */
export function ensureProviderSecrets(keysDir: string, clientIds: string[]): ProviderSecrets {
  const file = providerSecretsFile(keysDir);
  const known: Partial<ProviderSecrets> = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : {};
  const secret = () => randomBytes(32).toString("base64url");
  const secrets: ProviderSecrets = {
    cookieKeys: known.cookieKeys?.length ? known.cookieKeys : [secret()],
    clients: { ...known.clients },
  };
  for (const id of clientIds) secrets.clients[id] ??= secret();
  if (JSON.stringify(secrets) !== JSON.stringify(known)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

/** A machine's secret as the embedded provider generated it, or undefined (not started yet). */
export function readMachineSecret(keysDir: string, clientId: string): string | undefined {
  const file = providerSecretsFile(keysDir);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as Partial<ProviderSecrets>).clients?.[clientId];
}
