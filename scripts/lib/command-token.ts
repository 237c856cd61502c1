// The token a command sends the gateway: its --token, else P06_TOKEN, else its machine client's, by
// OAuth client credentials at the OpenID provider (OIDC_ISSUER, else the embedded provider `npm start`
// runs). The machine client: P06_CLIENT_ID and P06_CLIENT_SECRET (production: the city's provider
// registered it), else, on a development machine, the one the embedded provider made for the actor
// (the IOC's reports client, or the agency's importer), its secret where that provider keeps it. No
// token is written anywhere; elsewhere the command says what to pass.
import { clientCredentialsTokens } from "@p06/subgraph-kit";
import {
  importerClientId,
  readMachineSecret,
  REPORTS_CLIENT_ID,
} from "../../gateway/src/oidc/clients.js";
import { embeddedIssuer } from "../../gateway/src/oidc/config.js";
import { devKeysDir } from "../../gateway/src/trust/keys.js";

/** What to pass when there is no token to send. */
export const TOKEN_NEEDED =
  "pass --token TOKEN, set P06_TOKEN, or set P06_CLIENT_ID and P06_CLIENT_SECRET of a machine client (npm start's embedded provider gives the commands theirs)";

/** The machine client a command acting for `actor` uses on a development machine. */
export const machineClientFor = (actor: string) =>
  actor === "IOC" ? REPORTS_CLIENT_ID : importerClientId(actor);

/** `given`, P06_TOKEN, or a machine's token acting for `actor` (an agency's code or IOC). */
export async function commandToken(
  given: string | undefined,
  actor: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string | undefined> {
  const token = given?.trim() || env.P06_TOKEN?.trim();
  if (token) return token;
  const clientId = env.P06_CLIENT_ID?.trim() || (actor ? machineClientFor(actor) : "");
  const clientSecret =
    env.P06_CLIENT_SECRET?.trim() ||
    (env.NODE_ENV === "production" || !clientId
      ? undefined
      : readMachineSecret(devKeysDir(env), clientId));
  if (!clientId || !clientSecret) return undefined;
  const issuer = env.OIDC_ISSUER?.trim() || embeddedIssuer(env);
  return clientCredentialsTokens({ issuer, clientId, clientSecret })();
}
