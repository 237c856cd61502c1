// Explanation requests through the gateway, with roles: the IOC asks, only the agency asked answers,
// open and overdue requests show on both sides and every step is in the audit trail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type Caller, type RunningSystem } from "./support/system.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem("explain");
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

const REVIEWER: Caller = { agency: "IOC", person: { id: "tran.thi.b", name: "Trần Thị B" } };
const OFFICER: Caller = { agency: "DOH", person: { id: "nguyen.van.a", name: "Nguyễn Văn A" } };
const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;
/** A day from today, YYYY-MM-DD. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const REQUEST = `mutation($input: ExplanationRequestInput!) {
  requestExplanation(input: $input) { id status dueDate agency { code } indicator { code } askedByPerson { name } }
}`;
const ANSWER = `mutation($input: ExplanationAnswerInput!) {
  answerExplanation(input: $input) { status answer { explanation remedy answeredBy person { name } } }
}`;
const LIST = `query($status: ExplanationStatus, $asOf: String, $agency: ID) {
  explanationRequests(status: $status, asOf: $asOf, agency: $agency) { id code status agency { code } }
}`;

describe("explanation requests", () => {
  let asked: { id: string };

  it("lets the IOC ask a responsible agency by a date, and no agency ask", async () => {
    const input = {
      subject: "INDICATOR",
      code: "II.12",
      agency: "DOH",
      question: "II.12 is deteriorating: why, and what will you do?",
      dueDate: day(7),
    };
    expect(codeOf(await system.query(REQUEST, { input }, "DOH"))).toBe("FORBIDDEN");
    const wrongAgency = await system.query(REQUEST, { input: { ...input, agency: "POLICE" } });
    expect(codeOf(wrongAgency)).toBe("BAD_USER_INPUT");
    const past = await system.query(REQUEST, { input: { ...input, dueDate: day(-1) } });
    expect(codeOf(past)).toBe("BAD_USER_INPUT");
    const { data, errors } = await system.query<{
      requestExplanation: { id: string; status: string; agency: { code: string } };
    }>(REQUEST, { input }, REVIEWER);
    expect(errors).toBeUndefined();
    expect(data!.requestExplanation).toMatchObject({
      status: "OPEN",
      agency: { code: "DOH" },
      indicator: { code: "II.12" },
      askedByPerson: { name: "Trần Thị B" },
    });
    asked = data!.requestExplanation;
  });

  it("shows open and overdue requests to the IOC and to the agency asked, not to others", async () => {
    const ofDoh = await system.query<{ explanationRequests: { id: string; status: string }[] }>(
      LIST,
      {},
      "DOH",
    );
    expect(ofDoh.data!.explanationRequests).toEqual([
      { id: asked.id, code: "II.12", status: "OPEN", agency: { code: "DOH" } },
    ]);
    const later = await system.query<{ explanationRequests: { status: string }[] }>(LIST, {
      status: "OVERDUE",
      asOf: day(8),
    });
    expect(later.data!.explanationRequests.map((r) => r.status)).toEqual(["OVERDUE"]);
    expect(
      (await system.query<{ explanationRequests: unknown[] }>(LIST, {}, "POLICE")).data!
        .explanationRequests,
    ).toEqual([]);
    expect(codeOf(await system.query(LIST, { agency: "DOH" }, "POLICE"))).toBe("FORBIDDEN");
  });

  it("lets only the agency asked answer, once, and keeps both steps in the audit trail", async () => {
    const input = {
      id: asked.id,
      explanation: "Two hospitals changed records systems in September.",
      remedy: "Records are being linked again; back on track by December.",
    };
    expect(codeOf(await system.query(ANSWER, { input }, REVIEWER))).toBe("FORBIDDEN");
    expect(codeOf(await system.query(ANSWER, { input }, "POLICE"))).toBe("FORBIDDEN");
    const { data } = await system.query<{ answerExplanation: unknown }>(ANSWER, { input }, OFFICER);
    expect(data!.answerExplanation).toEqual({
      status: "ANSWERED",
      answer: {
        explanation: input.explanation,
        remedy: input.remedy,
        answeredBy: "DOH",
        person: { name: "Nguyễn Văn A" },
      },
    });
    expect(codeOf(await system.query(ANSWER, { input }, OFFICER))).toBe("CONFLICT");
    const audit = await system.query<{
      planAuditTrail: { actor: string; action: string; person: { name: string } | null }[];
    }>(`{ planAuditTrail(limit: 10) { actor action person { name } } }`);
    expect(
      audit
        .data!.planAuditTrail.filter((e) => e.action.startsWith("explanation."))
        .map((e) => `${e.actor} ${e.person?.name} ${e.action}`)
        .reverse(),
    ).toEqual(["IOC Trần Thị B explanation.request", "DOH Nguyễn Văn A explanation.answer"]);
  });
});
