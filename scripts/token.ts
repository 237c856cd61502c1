// `npm run token -- --agency DOH` or `npm run token -- --ioc` [--days 30]: prints a token for the
// gateway (Authorization: Bearer <token>), signed with JWT_PRIVATE_KEY_FILE or the development key.
import { parseArgs } from "node:util";
import { catalogue } from "@p06/plan/catalogue";
import { defaultKeysDir } from "../gateway/src/config.js";
import { ensureDevKeys } from "../gateway/src/keys.js";
import { issueToken } from "../gateway/src/tokens.js";

try {
  const { values } = parseArgs({
    options: {
      agency: { type: "string" },
      ioc: { type: "boolean" },
      days: { type: "string", default: "30" },
    },
  });
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new Error("--days must be 1 to 366");
  if (values.ioc === Boolean(values.agency)) {
    throw new Error("usage: npm run token -- --agency CODE | --ioc [--days N]");
  }
  if (values.agency && !catalogue.agencies.some((a) => a.code === values.agency)) {
    throw new Error(
      `unknown agency ${values.agency}: ${catalogue.agencies.map((a) => a.code).join(", ")}`,
    );
  }
  const privateKeyFile =
    process.env.JWT_PRIVATE_KEY_FILE?.trim() ||
    (await ensureDevKeys(process.env.P06_KEYS_DIR?.trim() || defaultKeysDir)).privateKeyFile;
  console.log(
    await issueToken({
      privateKeyFile,
      sub: values.ioc ? "IOC" : values.agency!,
      role: values.ioc ? "ioc" : "agency",
      days,
    }),
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
