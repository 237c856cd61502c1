// Reminders on the 10th, end to end: the plan subgraph's scheduler reads what each agency owes through
// the gateway and mails one digest per agency and occasion to a real SMTP server started here; what it
// sent is stored, so a restart sends nothing twice, a stop over the 11th is caught up once (the LATE
// digest, not the superseded DUE one), a failed send is tried again, and the graph shows the digests.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../scripts/lib/ferretdb.js";
import { launchChromium, signInAs, WatchedPages } from "./support/browser.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const PERIOD = "2026-10";
/** Two wards DOH leaves out of II.12 for October: all it still owes. */
const A = "10507";
const B = "10525";
const ADDRESSES = {
  DOH: ["so-y-te@example.vn"],
  POLICE: ["cong-an@example.vn", "pc06@example.vn"],
  IOC: ["ioc@example.vn"],
};

interface Received {
  envelopeTo: string[];
  from: string;
  to: string;
  cc: string;
  subject: string;
  text: string;
  reminder: string;
  raw: string;
}

let system: RunningSystem;
let smtp: SMTPServer;
let smtpPort: number;
const received: Received[] = [];
/** Messages the server refuses at the end of DATA (a failure the scheduler must try again). */
let refuse = 0;

beforeAll(async () => {
  smtpPort = await freePort();
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "p06" && auth.password === "smtp-test-password") {
        callback(null, { user: auth.username });
      } else callback(new Error("invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (refuse > 0) {
          refuse -= 1;
          const error = new Error("mailbox busy, try again later") as Error & {
            responseCode: number;
          };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        void simpleParser(raw).then((mail) => {
          const addressText = (field: typeof mail.to) =>
            field ? (Array.isArray(field) ? field.map((f) => f.text).join(", ") : field.text) : "";
          received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: addressText(mail.from),
            to: addressText(mail.to),
            cc: addressText(mail.cc),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            reminder: String(mail.headers.get("x-p06-reminder") ?? ""),
            raw,
          });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", resolve));
  // the scheduler gets its tokens from the embedded provider, as with npm start
  system = await startSystem("reminders", {}, { oidc: true });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

/** Waits until `condition` holds, or fails after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}:\n${system.services.plan!.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The scheduler's completed checks in the plan process's output since it started. */
const checks = () => system.services.plan!.output().split('"msg":"reminders checked"').length - 1;

/** Restarts the plan subgraph with the scheduler on and its clock starting at `now`. */
async function startScheduler(now: string) {
  await system.restart("plan", {
    LOG_LEVEL: "info",
    P06_SMTP_HOST: "127.0.0.1",
    P06_SMTP_PORT: String(smtpPort),
    P06_SMTP_USER: "p06",
    P06_SMTP_PASSWORD: "smtp-test-password",
    P06_REMINDERS_FROM: "Đề án 06 <de-an-06@example.vn>",
    P06_REMINDERS_ADDRESSES: JSON.stringify(ADDRESSES),
    P06_REMINDERS_GATEWAY_URL: system.gatewayUrl,
    OIDC_ISSUER: system.oidc!.issuer,
    P06_REMINDERS_CLIENT_SECRET: system.oidc!.machineSecret("p06-reminders"),
    P06_REMINDERS_NOW: now,
    P06_REMINDERS_INTERVAL_SECONDS: "1",
  });
}

const REMINDERS = `query($agency: ID, $period: String, $occasion: ReminderOccasion) {
  reminders(agency: $agency, period: $period, occasion: $occasion) {
    id agency { code } period occasion opensAt dueAt to cc subject status attempts sentAt response
    expected outstandingCount outstanding(limit: 10) { indicator { code } unit { code name } }
  }
}`;

interface Reminder {
  id: string;
  agency: { code: string };
  occasion: string;
  to: string[];
  cc: string[];
  subject: string;
  status: string;
  attempts: number;
  sentAt: string | null;
  expected: number;
  outstandingCount: number;
  outstanding: { indicator: { code: string }; unit: { code: string; name: string } }[];
}

const reminders = async (variables: Record<string, unknown> = {}, caller = "IOC") =>
  system.query<{ reminders: Reminder[] }>(REMINDERS, variables, caller);

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe("reminders on the 10th", () => {
  it("has DOH report October but for II.12 in two wards", async () => {
    const { data } = await system.query<{
      healthMonth: { obligations: { indicator: string; unit: string }[] };
    }>(
      `{ healthMonth(agency: "DOH", period: "${PERIOD}") { obligations(limit: 1000) { indicator unit } } }`,
    );
    const values = data!.healthMonth.obligations
      .filter((o) => !(o.indicator === "II.12" && (o.unit === A || o.unit === B)))
      .map((o) =>
        o.unit === "31"
          ? { indicator: o.indicator, unit: o.unit, met: true }
          : { indicator: o.indicator, unit: o.unit, numerator: 50, denominator: 100 },
      );
    expect(values).toHaveLength(228);
    const report = await system.query(
      `mutation($input: MonthlyReportInput!) { submitHealthReport(input: $input) { created } }`,
      { input: { period: PERIOD, values } },
      "DOH",
    );
    expect(report.errors).toBeUndefined();
  });

  it("catches a stop over the 11th up once: the LATE digests, one per agency, not the DUE ones", async () => {
    // the 13th: the DUE digests of the 7th are superseded by the LATE ones of the 11th
    await startScheduler("2026-11-13T09:00:00+07:00");
    await until(() => received.length >= 2, "the LATE digests");
    await until(() => checks() >= 2, "two checks");
    // only the agencies with addresses: the others owe figures too but are not configured
    expect(received.map((m) => m.reminder).sort()).toEqual([
      `DOH|${PERIOD}|LATE`,
      `POLICE|${PERIOD}|LATE`,
    ]);
    const doh = received.find((m) => m.reminder.startsWith("DOH"))!;
    expect(doh.envelopeTo).toEqual(["so-y-te@example.vn"]);
    expect(doh.from).toContain("de-an-06@example.vn");
    expect(doh.subject).toBe(
      "[Đề án 06] Sở Y tế: 2 số liệu tháng 10/2026 quá hạn báo cáo (hạn 10/11/2026)",
    );
    // the late units, and nothing DOH reported
    expect(doh.text).toContain("còn 2/230 số liệu chưa nhận được, đã quá hạn");
    expect(doh.text).toMatch(
      /II\.12 .+ \(2 đơn vị\):\n {2}- 10507 Phường Thành Đông\n {2}- 10525 /,
    );
    expect(doh.text).not.toContain("II.5");
    const police = received.find((m) => m.reminder.startsWith("POLICE"))!;
    expect(police.envelopeTo).toEqual(["cong-an@example.vn", "pc06@example.vn"]);
    expect(police.subject).toMatch(
      /^\[Đề án 06\] Công an thành phố: \d+ số liệu tháng 10\/2026 quá hạn/,
    );
  }, 60_000);

  it("sends nothing twice across a restart of the process that runs the scheduler", async () => {
    await startScheduler("2026-11-13T10:00:00+07:00");
    await until(() => checks() >= 2, "two checks after the restart");
    expect(received).toHaveLength(2);
  }, 60_000);

  it("shows the digests in the graph: the IOC every agency's, an agency its own", async () => {
    const all = await reminders({ period: PERIOD });
    expect(all.errors).toBeUndefined();
    expect(all.data!.reminders.map((r) => r.id).sort()).toEqual([
      `DOH|${PERIOD}|LATE`,
      `POLICE|${PERIOD}|LATE`,
    ]);
    const own = await reminders({}, "DOH");
    expect(own.data!.reminders).toHaveLength(1);
    expect(own.data!.reminders[0]).toMatchObject({
      agency: { code: "DOH" },
      occasion: "LATE",
      to: ["so-y-te@example.vn"],
      cc: [],
      status: "SENT",
      attempts: 1,
      expected: 230,
      outstandingCount: 2,
      outstanding: [
        { indicator: { code: "II.12" }, unit: { code: A, name: "Phường Thành Đông" } },
        { indicator: { code: "II.12" }, unit: { code: B } },
      ],
    });
    expect(own.data!.reminders[0]!.subject).toBe(
      received.find((m) => m.reminder.startsWith("DOH"))!.subject,
    );
    expect(codeOf(await reminders({ agency: "POLICE" }, "DOH"))).toBe("FORBIDDEN");
    expect(codeOf(await reminders({ agency: "NOPE" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await reminders({ period: "2026-13" }))).toBe("INVALID_PERIOD");
    const page = await system.query(`{ reminders(limit: 0) { id } }`);
    expect(codeOf(page)).toBe("BAD_USER_INPUT");
  });

  it("shows the agency its reminders on its month page", async () => {
    const browser = await launchChromium();
    const pages = new WatchedPages(browser);
    try {
      const page = await pages.open();
      // DOH's data officer signs in at the embedded provider, back on the month page
      await signInAs(
        page,
        `${system.gatewayUrl.replace(/graphql$/, "")}bao-cao/DOH?thang=${PERIOD}`,
        "doh.canbo",
        system.oidc!.password,
      );
      const row = page.getByTestId("reminder-list").locator("tbody tr");
      // the table says it is loading, then holds the month's one digest
      await expect
        .poll(() => row.first().locator("th, td").first().innerText(), { timeout: 15_000 })
        .toBe("Quá hạn");
      expect(await row.count()).toBe(1);
      const cells = await row.first().locator("th, td").allInnerTexts();
      expect(cells[0]).toBe("Quá hạn");
      expect(cells[2]).toBe("Đã gửi");
      expect(cells[3]).toBe("so-y-te@example.vn");
      expect(cells[4]).toBe("2/230");
      expect(cells[5]).toBe(received.find((m) => m.reminder.startsWith("DOH"))!.subject);
      expect(pages.consoleErrors).toEqual([]);
      expect(pages.requestsElsewhere()).toEqual([]);
    } finally {
      await pages.close();
      await browser.close();
    }
  }, 60_000);

  it("prints a day's digests with the dry-run command, and sends nothing", async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/reminders.ts", "--dry-run", "--date", "2026-11-11"],
      {
        env: {
          ...process.env,
          GATEWAY_URL: system.gatewayUrl,
          // no token given: the command's machine client gets one, its secret where npm start keeps it
          OIDC_ISSUER: system.oidc!.issuer,
          P06_KEYS_DIR: system.oidc!.keysDir,
          P06_REMINDERS_ADDRESSES: JSON.stringify(ADDRESSES),
        },
      },
    );
    expect(stdout).toContain(
      [
        `=== DOH|${PERIOD}|LATE (dry run: not sent)`,
        "From: (P06_REMINDERS_FROM)",
        "To: so-y-te@example.vn",
        "Subject: [Đề án 06] Sở Y tế: 2 số liệu tháng 10/2026 quá hạn báo cáo (hạn 10/11/2026)",
      ].join("\n"),
    );
    expect(stdout).toMatch(/=== PASC\|2026-10\|LATE: owes \d+ figures, no address configured/);
    expect(stderr).toContain("2 digest(s) for 2026-10 LATE");
    expect(received).toHaveLength(2);
  }, 30_000);

  it("escalates to the IOC what is still missing, one digest per agency, trying a refused send again", async () => {
    refuse = 1;
    await startScheduler("2026-11-16T09:00:00+07:00");
    // every agency that still owes figures, with its own addresses or not: the IOC has one
    await until(() => received.length >= 12, "the escalations");
    await until(() => checks() >= 2, "two checks");
    const escalations = received.filter((m) => m.reminder.endsWith("|ESCALATION"));
    expect(escalations).toHaveLength(10);
    expect(new Set(escalations.map((m) => m.reminder)).size).toBe(10);
    expect(escalations.every((m) => m.envelopeTo[0] === "ioc@example.vn")).toBe(true);
    const doh = escalations.find((m) => m.reminder === `DOH|${PERIOD}|ESCALATION`)!;
    expect(doh.envelopeTo).toEqual(["ioc@example.vn", "so-y-te@example.vn"]);
    expect(doh.cc).toContain("so-y-te@example.vn");
    expect(doh.subject).toBe(
      "[Đề án 06] Báo cáo IOC: Sở Y tế còn thiếu 2 số liệu tháng 10/2026, quá hạn 5 ngày",
    );
    const { data } = await reminders({ occasion: "ESCALATION" });
    // the first escalation met the server's refusal and went out at the next check
    expect(data!.reminders.map((r) => r.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    expect(data!.reminders.every((r) => r.status === "SENT")).toBe(true);
    expect(received).toHaveLength(12);
  }, 60_000);

  it("sends the next month's DUE digest a few days before the 10th", async () => {
    await startScheduler("2026-12-07T08:30:00+07:00");
    await until(() => received.length >= 14, "the DUE digests");
    await until(() => checks() >= 2, "two checks");
    expect(
      received
        .slice(12)
        .map((m) => m.reminder)
        .sort(),
    ).toEqual(["DOH|2026-11|DUE", "POLICE|2026-11|DUE"]);
    const due = received.find((m) => m.reminder === "DOH|2026-11|DUE")!;
    expect(due.subject).toBe(
      "[Đề án 06] Sở Y tế: 230 số liệu tháng 11/2026 đến hạn báo cáo ngày 10/12/2026",
    );
    expect(due.text).toContain("Đến 08:30 ngày 07/12/2026, còn 230/230 số liệu chưa nhận được");
  }, 60_000);
});
