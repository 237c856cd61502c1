// Explanation requests (the plan's section IV.2: the City Police propose accountability for those
// behind): the IOC asks an agency to explain an indicator or a task by a date; the agency answers
// with its explanation and its remedy. Open and overdue requests show on both sides.
import { randomUUID } from "node:crypto";
import {
  appendAudit,
  authorize,
  checkPage,
  insertOnce,
  noMonth,
  userError,
  type PageArguments,
} from "@p06/subgraph-kit";
import type { PlanContext } from "../context.js";
import type { ExplanationAnswerDoc, ExplanationRequestDoc, ExplanationSubject } from "../models.js";
import { PLAN_CHANGES } from "../plan-state.js";
import { todayInVietnam } from "../review.js";
import { checkDay } from "./arguments.js";
import { callerOf, checkText } from "./mutation.js";

const MAX_PAGE = 1000;

type Status = "OPEN" | "OVERDUE" | "ANSWERED";

/** A text the request or answer needs: given, and not too long. */
function required(value: string, argumentName: string): string {
  const text = checkText(value, argumentName);
  if (!text) throw userError(`${argumentName} must not be empty`, { argumentName });
  return text;
}

/** A request as the graph shows it: its status as of a day (today in Hai Phong by default). */
function view(request: ExplanationRequestDoc, ctx: PlanContext, asOf = todayInVietnam()) {
  const answer = ctx.state.explanationAnswers.get(request._id) ?? null;
  const status: Status = answer ? "ANSWERED" : asOf > request.dueDate ? "OVERDUE" : "OPEN";
  return {
    id: request._id,
    subject: request.subject,
    code: request.code,
    indicator: request.subject === "INDICATOR" ? ctx.state.indicatorByCode.get(request.code) : null,
    task: request.subject === "TASK" ? ctx.state.taskByCode.get(request.code) : null,
    agency: ctx.state.agencyByCode.get(request.agency),
    question: request.question,
    dueDate: request.dueDate,
    askedBy: request.askedBy,
    askedByPerson: request.person,
    askedAt: request.askedAt.toISOString(),
    status,
    answer: answer && { ...answer, answeredAt: answer.answeredAt.toISOString() },
  };
}

export const explanationQuery = {
  // the plan's state: no month's figures
  explanationRequests: noMonth(function explanationRequests(
    _: unknown,
    args: PageArguments & { agency?: string | null; status?: Status | null; asOf?: string | null },
    ctx: PlanContext,
  ) {
    const who = callerOf(ctx, "read");
    // the IOC reads every agency's; an agency its own
    if (who !== "IOC" && args.agency != null && args.agency !== who) {
      throw userError("an agency reads its own explanation requests", { code: "FORBIDDEN" });
    }
    const agency = who === "IOC" ? args.agency : who;
    const asOf = checkDay(args.asOf);
    const { limit, offset } = checkPage(args, MAX_PAGE);
    return [...ctx.state.explanationRequests.values()]
      .filter((r) => agency == null || r.agency === agency)
      .map((r) => view(r, ctx, asOf))
      .filter((r) => args.status == null || r.status === args.status)
      .slice(offset, offset + limit);
  }),
};

export const explanationMutations = {
  async requestExplanation(
    _: unknown,
    {
      input,
    }: {
      input: {
        subject: ExplanationSubject;
        code: string;
        agency: string;
        question: string;
        dueDate: string;
      };
    },
    ctx: PlanContext,
  ) {
    if (authorize(ctx, "requestExplanation") !== "IOC") {
      throw userError("the IOC asks for explanations; an agency answers them", {
        code: "FORBIDDEN",
      });
    }
    const responsible =
      input.subject === "INDICATOR"
        ? ctx.state.indicatorByCode.get(input.code)?.trackingAgencies
        : ctx.state.taskByCode.get(input.code)?.leadAgencies;
    if (!responsible) {
      throw userError(`unknown ${input.subject.toLowerCase()} "${input.code}"`, {
        argumentName: "code",
      });
    }
    if (!responsible.includes(input.agency)) {
      throw userError(
        `agency ${input.agency} is not responsible for ${input.code} (${responsible.join(", ")})`,
        { argumentName: "agency" },
      );
    }
    const dueDate = checkDay(input.dueDate, "dueDate");
    if (dueDate < todayInVietnam()) {
      throw userError(`dueDate ${dueDate} has passed`, { argumentName: "dueDate" });
    }
    const request: ExplanationRequestDoc = {
      _id: randomUUID(),
      subject: input.subject,
      code: input.code,
      agency: input.agency,
      question: required(input.question, "question"),
      dueDate,
      askedBy: "IOC",
      person: ctx.person,
      askedAt: new Date(),
    };
    await appendAudit(
      ctx.values.models.Audit,
      { agency: "IOC", person: ctx.person },
      "explanation.request",
      [{ subject: `${input.subject.toLowerCase()} ${input.code}`, before: null, after: request }],
      request.askedAt,
    );
    await insertOnce(ctx.models.ExplanationRequest.collection, [request]);
    await ctx.values.replica.publish(PLAN_CHANGES.explanationRequest, [request]);
    return view(request, ctx);
  },

  async answerExplanation(
    _: unknown,
    { input }: { input: { id: string; explanation: string; remedy: string } },
    ctx: PlanContext,
  ) {
    const who = authorize(ctx, "answerExplanation");
    await ctx.values.replica.catchUp(0, false);
    const request = ctx.state.explanationRequests.get(input.id);
    if (!request) throw userError(`no explanation request ${input.id}`, { argumentName: "id" });
    if (who !== request.agency) {
      throw userError(`only ${request.agency} answers this request`, { code: "FORBIDDEN" });
    }
    if (ctx.state.explanationAnswers.has(request._id)) {
      throw userError("this request is answered already", { code: "CONFLICT" });
    }
    const answer: ExplanationAnswerDoc = {
      _id: request._id,
      explanation: required(input.explanation, "explanation"),
      remedy: required(input.remedy, "remedy"),
      answeredBy: who,
      person: ctx.person,
      answeredAt: new Date(),
    };
    await appendAudit(
      ctx.values.models.Audit,
      { agency: who, person: ctx.person },
      "explanation.answer",
      [
        {
          subject: `${request.subject.toLowerCase()} ${request.code}`,
          before: null,
          after: answer,
        },
      ],
      answer.answeredAt,
    );
    // one answer a request: its id is the request's, which only one insert can take (two at once)
    const taken = await insertOnce(ctx.models.ExplanationAnswer.collection, [answer]);
    if (taken.has(answer._id)) {
      throw userError("this request is answered already", { code: "CONFLICT" });
    }
    await ctx.values.replica.publish(PLAN_CHANGES.explanationAnswer, [answer]);
    return view(request, ctx);
  },
};
