// `npm run reminders -- --dry-run --date 2026-11-11 [--occasion DUE|LATE|ESCALATION] [--agency DOH]`
// Prints the reminder digests the scheduler would send for the occasion due on a day (Hai Phong time,
// as of 08:00 when its occasions open), or for the occasion named, of the month whose reminders fall
// in that day's month, with the figures as they stand now: recipients, subject and text of each,
// worked out through the gateway as the IOC
// with the addresses configured (P06_REMINDERS_ADDRESSES or _FILE). It sends nothing and records
// nothing: sending is the plan subgraph's scheduler's. The gateway: --url, else GATEWAY_URL, else
// port GATEWAY_PORT (4000); the token: --token, else P06_TOKEN, else the IOC's machine client's by
// client credentials (lib/command-token.ts). Exit codes: 0 printed, 2 used wrongly, 1 failed.
import { parseArgs } from "node:util";
import {
  composeDigest,
  cycleAt,
  gatewayClient,
  occasionDue,
  occasionOpens,
  OCCASIONS,
  readAddresses,
  readCalendar,
  readOwed,
  vietnameseDate,
  type Occasion,
} from "@p06/plan/reminders";
import { commandToken, TOKEN_NEEDED } from "./lib/command-token.js";
import { gatewayUrl } from "./lib/gateway-url.js";

const USAGE =
  "usage: npm run reminders -- --dry-run --date YYYY-MM-DD [--occasion DUE|LATE|ESCALATION] [--agency CODE] [--token TOKEN] [--url GATEWAY_URL]";

class UsageError extends Error {}

function readArguments() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        "dry-run": { type: "boolean", default: false },
        date: { type: "string" },
        occasion: { type: "string" },
        agency: { type: "string" },
        token: { type: "string" },
        url: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (!values["dry-run"]) {
    throw new UsageError(
      "only --dry-run: the plan subgraph's scheduler sends reminders (see 'Reminders on the 10th' in docs/ioc-dashboard.md)",
    );
  }
  const date = values.date;
  const day = date ? new Date(`${date}T08:00:00+07:00`) : null;
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !day || Number.isNaN(day.getTime())) {
    throw new UsageError(`--date must be a day written YYYY-MM-DD, got "${date ?? ""}"`);
  }
  if (values.occasion && !OCCASIONS.includes(values.occasion as Occasion)) {
    throw new UsageError(`--occasion must be one of ${OCCASIONS.join(", ")}`);
  }
  return { ...values, day, occasion: values.occasion as Occasion | undefined };
}

try {
  const args = readArguments();
  const calendar = readCalendar();
  const addresses = readAddresses();
  const period = cycleAt(args.day);
  const occasion = args.occasion ?? occasionDue(args.day, calendar)?.occasion;
  if (!occasion) {
    console.log(
      `no reminder is due on ${args.date}: the first of ${period}'s goes out at 08:00 on ${vietnameseDate(occasionOpens(period, "DUE", calendar))} (Hai Phong time)`,
    );
    process.exit(0);
  }
  const at = args.occasion ? occasionOpens(period, occasion, calendar) : args.day;
  const token = await commandToken(args.token, "IOC");
  if (!token) throw new UsageError(`reminders reads as the IOC: ${TOKEN_NEEDED}`);
  const owed = await readOwed(
    gatewayClient(gatewayUrl(args.url), () => token),
    period,
  );
  const from = process.env.P06_REMINDERS_FROM?.trim() || "(P06_REMINDERS_FROM)";
  let printed = 0;
  for (const agency of owed.agencies) {
    if (args.agency && agency.agency !== args.agency) continue;
    const { digest, unaddressed } = composeDigest(agency, period, occasion, at, {
      names: owed.names,
      addresses,
      calendar,
    });
    if (unaddressed) {
      console.log(
        `=== ${agency.agency}|${period}|${occasion}: owes ${agency.outstanding.length} figures, no address configured: not sent\n`,
      );
    }
    if (!digest) continue;
    printed += 1;
    console.log(
      [
        `=== ${digest.key} (dry run: not sent)`,
        `From: ${from}`,
        `To: ${digest.to.join(", ")}`,
        ...(digest.cc.length ? [`Cc: ${digest.cc.join(", ")}`] : []),
        `Subject: ${digest.subject}`,
        "",
        digest.text,
      ].join("\n"),
    );
  }
  console.error(
    `${printed} digest(s) for ${period} ${occasion} as of ${at.toISOString()}; nothing sent`,
  );
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`npm run reminders: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`npm run reminders: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
