// The token a command sends the gateway: its --token, else P06_TOKEN, else, on a development machine
// whose gateway verifies with the development key (npm start made it), a short-lived token for the
// actor signed with that key. Elsewhere the command says what to pass.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readTokenClaims } from "../../gateway/src/trust/claims.js";
import { devKeysDir } from "../../gateway/src/trust/keys.js";
import { issueToken } from "../../gateway/src/trust/tokens.js";

/** What to pass when there is no token to send. */
export const TOKEN_NEEDED =
  "pass --token TOKEN or set P06_TOKEN (npm start's development key signs one by itself)";

/** `given`, P06_TOKEN, or a development token acting for `actor` (an agency's code or IOC). */
export async function commandToken(
  given: string | undefined,
  actor: string,
): Promise<string | undefined> {
  const token = given?.trim() || process.env.P06_TOKEN?.trim();
  if (token) return token;
  const privateKeyFile =
    process.env.JWT_PRIVATE_KEY_FILE?.trim() || join(devKeysDir(), "jwt-dev-private.pem");
  if (!existsSync(privateKeyFile)) return undefined;
  const { names, address } = readTokenClaims();
  // an hour: long enough for the command, too short to be worth keeping
  return issueToken({ privateKeyFile, agency: actor, days: 1 / 24, claimNames: names, address });
}
