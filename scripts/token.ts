// `npm run token -- --agency DOH` or `npm run token -- --ioc` [--days 30]: prints a token for the
// gateway (Authorization: Bearer <token>), signed with JWT_PRIVATE_KEY_FILE or the development key
// (in the keys folder `npm start` uses: P06_KEYS_DIR, else P06_DATA_DIR/keys, else data/keys).
// Exit codes: 0 a token printed, 2 the command was used wrongly (usage on stderr), 1 anything else.
import { parseArgs } from "node:util";
import { catalogue } from "@p06/plan/catalogue";
import { devKeysDir, ensureDevKeys } from "../gateway/src/keys.js";
import { issueToken } from "../gateway/src/tokens.js";

const USAGE = `usage: npm run token -- --agency CODE | --ioc [--days N]
  --agency CODE  a token for the agency CODE (${catalogue.agencies.map((a) => a.code).join(", ")})
  --ioc          a token for the IOC
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
  if (values.ioc && values.agency !== undefined) {
    throw new UsageError("give --agency CODE or --ioc, not both");
  }
  if (!values.ioc && values.agency === undefined) {
    throw new UsageError("say whom the token is for: --agency CODE or --ioc");
  }
  if (values.agency !== undefined && !catalogue.agencies.some((a) => a.code === values.agency)) {
    throw new UsageError(`unknown agency "${values.agency}"`);
  }
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new UsageError(`--days must be a whole number from 1 to 366, got "${values.days}"`);
  }
  return values.ioc
    ? { sub: "IOC", role: "ioc" as const, days }
    : { sub: values.agency!, role: "agency" as const, days };
}

try {
  const request = readArguments();
  const privateKeyFile =
    process.env.JWT_PRIVATE_KEY_FILE?.trim() || (await ensureDevKeys(devKeysDir())).privateKeyFile;
  console.log(await issueToken({ privateKeyFile, ...request }));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`npm run token: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`npm run token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
