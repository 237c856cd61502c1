// `npm run token -- --agency DOH --person ID [--name NAME] [--role ROLE]`, `--ioc --person ID ...` or
// `--commune 10525 --person ID ...`: a developer's tool that prints a token for a person acting for an
// agency, the IOC or a commune with their roles
// (all that acting for it may hold, unless --role names some); without --person, the agency's service
// account. People sign in and machines use client credentials instead; this is for trying the graph by
// hand. For the gateway (Authorization: Bearer <token>), signed with JWT_PRIVATE_KEY_FILE or the
// development key (in the keys folder `npm start` uses: P06_KEYS_DIR, else P06_DATA_DIR/keys, else
// data/keys) that the embedded provider signs with, issued as that provider (JWT_ISSUER, else
// OIDC_ISSUER, else http://127.0.0.1:OIDC_PORT), its claims where the gateway's JWT_* variables say.
// Exit codes: 0 a token printed, 2 the command was used wrongly (usage on stderr), 1 anything else.
import { parseArgs } from "node:util";
import { bundledReportingUnits, catalogue } from "@p06/catalogue";
import { COMMUNE, isPersonField, MAX_PERSON_FIELD, rolesFor, type Role } from "@p06/subgraph-kit";
import { embeddedIssuer } from "../gateway/src/oidc/config.js";
import { readTokenClaims } from "../gateway/src/trust/claims.js";
import { devKeysDir, ensureDevKeys } from "../gateway/src/trust/keys.js";
import { issueToken } from "../gateway/src/trust/tokens.js";

const USAGE = `usage: npm run token -- --agency CODE | --ioc | --commune CODE [--person ID [--name NAME]] [--role ROLE]... [--days N]
  --agency CODE  for the agency CODE (${catalogue.agencies.map((a) => a.code).join(", ")})
  --ioc          for the IOC
  --commune CODE for a person of the commune, ward or special zone CODE (5 digits, e.g. 10525);
                 needs --person (a commune has no service account)
  --person ID    the person who acts for it: a stable id (the identity provider's subject);
                 without it, the token is the agency's service account (a machine: imports)
  --name NAME    the person's name as shown in the audit trail (default: the id)
  --role ROLE    a role the token gives, once per role: data-officer or agency-head for an
                 agency, ioc-viewer or ioc-reviewer for the IOC, commune-officer or
                 commune-chair for a commune (default: all of them)
  --days N       how long it is valid: 1 to 366 days (default 30)`;

/** The command was used wrongly: said with the usage, exit code 2. */
class UsageError extends Error {}

function readArguments() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        agency: { type: "string" },
        ioc: { type: "boolean" },
        commune: { type: "string" },
        person: { type: "string" },
        name: { type: "string" },
        role: { type: "string", multiple: true },
        days: { type: "string", default: "30" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // node's own wording: an unknown option, a missing value, a stray argument
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const whom = [values.agency !== undefined, values.ioc, values.commune !== undefined].filter(
    Boolean,
  ).length;
  if (whom > 1) throw new UsageError("give one of --agency CODE, --ioc or --commune CODE");
  if (whom === 0) {
    throw new UsageError("say whom the token is for: --agency CODE, --ioc or --commune CODE");
  }
  if (values.commune !== undefined) {
    if (
      !bundledReportingUnits().some((unit) => unit.code === values.commune && unit.kind !== "CITY")
    ) {
      throw new UsageError(`unknown commune "${values.commune}" (a 5-digit code, e.g. 10525)`);
    }
    if (values.person === undefined) {
      throw new UsageError("a commune's token is a person's: give their id with --person ID");
    }
  }
  if (values.agency !== undefined && !catalogue.agencies.some((a) => a.code === values.agency)) {
    throw new UsageError(`unknown agency "${values.agency}"`);
  }
  if (values.name !== undefined && values.person === undefined) {
    throw new UsageError("--name names a person: give their id with --person ID");
  }
  for (const option of ["person", "name"] as const) {
    const text = values[option];
    if (text !== undefined && !isPersonField(text)) {
      throw new UsageError(
        `--${option} must be text of 1 to ${MAX_PERSON_FIELD} characters without control characters`,
      );
    }
  }
  const agency = values.ioc ? "IOC" : values.commune !== undefined ? COMMUNE : values.agency!;
  const allowed: readonly string[] = rolesFor(agency);
  for (const role of values.role ?? []) {
    if (!allowed.includes(role)) {
      throw new UsageError(
        `--role ${role} is not a role of ${agency === "IOC" ? "the IOC" : agency === COMMUNE ? "a commune" : "an agency"}: give ${allowed.join(" or ")}`,
      );
    }
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new UsageError(`--days must be a whole number from 1 to 366, got "${values.days}"`);
  }
  return {
    agency,
    ...(values.commune !== undefined && { commune: values.commune }),
    ...(values.role && { roles: [...new Set(values.role)] as Role[] }),
    ...(values.person !== undefined && {
      person: { id: values.person, name: values.name ?? values.person },
    }),
    days,
  };
}

try {
  const request = readArguments();
  // the issuer the gateway `npm start` runs expects: the embedded provider's
  const { names, address } = readTokenClaims({
    OIDC_ISSUER: embeddedIssuer(),
    ...process.env,
  });
  const privateKeyFile =
    process.env.JWT_PRIVATE_KEY_FILE?.trim() || (await ensureDevKeys(devKeysDir())).privateKeyFile;
  console.log(await issueToken({ privateKeyFile, ...request, claimNames: names, address }));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`npm run token: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`npm run token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
