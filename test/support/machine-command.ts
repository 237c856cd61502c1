// A command run as a machine runs it: `export:values` against a gateway, its token got by client
// credentials at an OpenID provider (OIDC_ISSUER, P06_CLIENT_ID, P06_CLIENT_SECRET), as in production.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../../scripts/lib/ferretdb.js";

export interface Machine {
  gatewayUrl: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** `export:values --period PERIOD` as `machine`: what it printed, or (rejected) its code and stderr. */
export function exportValuesAs(machine: Machine, period: string) {
  return promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/export-values.ts", "--period", period],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        GATEWAY_URL: machine.gatewayUrl,
        OIDC_ISSUER: machine.issuer,
        P06_CLIENT_ID: machine.clientId,
        P06_CLIENT_SECRET: machine.clientSecret,
      },
    },
  );
}

/** The data values `export:values` printed (its JSON). */
export const dataValuesOf = (stdout: string) =>
  (
    JSON.parse(stdout) as {
      dataValues: { dataElement: string; orgUnit: string; value: string; storedBy: string }[];
    }
  ).dataValues;
