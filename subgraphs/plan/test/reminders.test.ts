// The reminders' rules in process: which occasion is due when (Hai Phong time, a missed day caught up
// by the latest occasion only), who a digest goes to, and the configuration refused by name.
import { ConfigError } from "@p06/subgraph-kit";
import { describe, expect, it } from "vitest";
import {
  composeDigest,
  DEFAULT_CALENDAR,
  occasionDue,
  occasionOpens,
  readAddresses,
  readRemindersConfig,
  type AgencyOwed,
} from "../src/reminders/index.js";

const at = (local: string) => new Date(`${local}+07:00`);
const due = (local: string) => {
  const found = occasionDue(at(local), DEFAULT_CALENDAR);
  return found && `${found.period} ${found.occasion}`;
};

describe("the occasion due", () => {
  it("opens each of a month's occasions at 08:00 Hai Phong time in the next month", () => {
    expect(occasionOpens("2026-10", "DUE", DEFAULT_CALENDAR).toISOString()).toBe(
      "2026-11-07T01:00:00.000Z",
    );
    expect(occasionOpens("2026-10", "LATE", DEFAULT_CALENDAR).toISOString()).toBe(
      "2026-11-11T01:00:00.000Z",
    );
    expect(occasionOpens("2026-12", "ESCALATION", DEFAULT_CALENDAR).toISOString()).toBe(
      "2027-01-15T01:00:00.000Z",
    );
  });

  it("is the latest occasion opened in the month's cycle: a missed one is superseded, not sent late", () => {
    expect(due("2026-11-07T07:59:59")).toBeNull();
    expect(due("2026-11-07T08:00:00")).toBe("2026-10 DUE");
    // the 10th is still due all day, by Hai Phong's clock (17:30 UTC on the 10th)
    expect(due("2026-11-11T00:30:00")).toBe("2026-10 DUE");
    expect(due("2026-11-11T08:00:00")).toBe("2026-10 LATE");
    // down from the 6th to the 13th: the LATE digest, once; the DUE one is not sent
    expect(due("2026-11-13T09:00:00")).toBe("2026-10 LATE");
    expect(due("2026-11-30T23:59:59")).toBe("2026-10 ESCALATION");
    // a new month's cycle has nothing due before its 7th
    expect(due("2026-12-01T09:00:00")).toBeNull();
    expect(due("2027-01-07T08:00:00")).toBe("2026-12 DUE");
    // configured: the day before the 10th, two days after it
    const close = { daysBefore: 1, escalationDays: 2 };
    expect(occasionDue(at("2026-11-08T09:00:00"), close)).toBeNull();
    expect(occasionDue(at("2026-11-09T08:00:00"), close)?.occasion).toBe("DUE");
    expect(occasionDue(at("2026-11-12T08:00:00"), close)?.occasion).toBe("ESCALATION");
  });
});

const owed: AgencyOwed = {
  agency: "DOH",
  subgraph: "health",
  dueAt: new Date("2026-11-10T16:59:59.999Z"),
  expected: 230,
  outstanding: [
    { indicator: "II.12", unit: "10507" },
    { indicator: "II.12", unit: "10525" },
  ],
};
const names = {
  agencies: new Map([["DOH", "Sở Y tế"]]),
  indicators: new Map([["II.12", "Tỷ lệ ..."]]),
  units: new Map([
    ["10507", "Phường Thành Đông"],
    ["10525", "Phường Hải Dương"],
  ]),
};
const addresses = new Map([
  ["DOH", ["so-y-te@example.vn"]],
  ["IOC", ["ioc@example.vn"]],
]);
const compose = (occasion: "DUE" | "LATE" | "ESCALATION", agencyOwed = owed, to = addresses) =>
  composeDigest(agencyOwed, "2026-10", occasion, at("2026-11-11T08:00:00"), {
    names,
    addresses: to,
    calendar: DEFAULT_CALENDAR,
  });

describe("a digest", () => {
  it("lists every figure owed, by indicator, in one message to the agency", () => {
    const { digest } = compose("LATE");
    expect(digest).toMatchObject({
      key: "DOH|2026-10|LATE",
      to: ["so-y-te@example.vn"],
      cc: [],
      subject: "[Đề án 06] Sở Y tế: 2 số liệu tháng 10/2026 quá hạn báo cáo (hạn 10/11/2026)",
    });
    expect(digest!.text).toContain(
      "II.12 Tỷ lệ ... (2 đơn vị):\n  - 10507 Phường Thành Đông\n  - 10525 Phường Hải Dương",
    );
  });

  it("escalates to the IOC with the agency in copy, and is not made when nothing is owed", () => {
    expect(compose("ESCALATION").digest).toMatchObject({
      to: ["ioc@example.vn"],
      cc: ["so-y-te@example.vn"],
    });
    expect(compose("LATE", { ...owed, outstanding: [] })).toEqual({
      digest: null,
      unaddressed: false,
    });
    // an agency without an address gets none, but its escalation still reaches the IOC
    const iocOnly = new Map([["IOC", ["ioc@example.vn"]]]);
    expect(compose("DUE", owed, iocOnly)).toEqual({ digest: null, unaddressed: true });
    expect(compose("ESCALATION", owed, iocOnly).digest).toMatchObject({ cc: [] });
  });
});

describe("the configuration", () => {
  const on = {
    P06_SMTP_HOST: "smtp.example.vn",
    P06_REMINDERS_FROM: "de-an-06@example.vn",
    P06_REMINDERS_ADDRESSES: '{"IOC": "ioc@example.vn", "DOH": ["a@example.vn"]}',
    P06_REMINDERS_GATEWAY_URL: "http://127.0.0.1:4000/graphql",
    OIDC_ISSUER: "https://sso.haiphong.gov.vn/realms/p06",
    P06_REMINDERS_CLIENT_SECRET: "the scheduler's secret",
  };

  it("is off without an SMTP host, and on with what it needs", () => {
    expect(readRemindersConfig({})).toBeNull();
    const config = readRemindersConfig(on)!;
    expect(config.smtp).toEqual({
      host: "smtp.example.vn",
      port: 587,
      secure: false,
      user: null,
      password: null,
    });
    expect(config.addresses.get("IOC")).toEqual(["ioc@example.vn"]);
    expect(config.intervalMs).toBe(600_000);
    expect(config.client).toEqual({
      issuer: "https://sso.haiphong.gov.vn/realms/p06",
      clientId: "p06-reminders",
      clientSecret: "the scheduler's secret",
    });
    const clock = readRemindersConfig({ ...on, P06_REMINDERS_NOW: "2026-11-13T09:00:00+07:00" })!;
    expect(clock.now().getTime() - Date.parse("2026-11-13T02:00:00Z")).toBeLessThan(1000);
  });

  it("refuses what is missing or malformed, by name", () => {
    const refused = (env: Record<string, string>) => {
      try {
        readRemindersConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return null;
    };
    expect(refused({ ...on, P06_REMINDERS_FROM: "" })).toMatch(/P06_REMINDERS_FROM/);
    expect(refused({ ...on, P06_REMINDERS_CLIENT_SECRET: "" })).toMatch(
      /P06_REMINDERS_CLIENT_SECRET/,
    );
    expect(refused({ ...on, OIDC_ISSUER: "sso.haiphong.gov.vn" })).toMatch(
      /OIDC_ISSUER must be an http\(s\) URL/,
    );
    expect(refused({ ...on, P06_SMTP_USER: "p06" })).toMatch(/P06_SMTP_PASSWORD/);
    expect(refused({ ...on, P06_REMINDERS_ADDRESSES: '{"DOH": "a@example.vn"}' })).toMatch(/IOC/);
    expect(refused({ ...on, P06_REMINDERS_ESCALATION_DAYS: "30" })).toMatch(
      /P06_REMINDERS_ESCALATION_DAYS must be a whole number from 2 to 18/,
    );
    expect(refused({ ...on, P06_REMINDERS_NOW: "soon" })).toMatch(/P06_REMINDERS_NOW/);
    expect(() => readAddresses({ P06_REMINDERS_ADDRESSES: '{"XYZ": "a@example.vn"}' })).toThrow(
      /"XYZ" is neither IOC nor an agency/,
    );
    expect(() => readAddresses({ P06_REMINDERS_ADDRESSES: '{"DOH": "not an address"}' })).toThrow(
      /not an e-mail address/,
    );
    expect(() => readAddresses({ P06_REMINDERS_ADDRESSES: "[1]" })).toThrow(/JSON object/);
  });
});
