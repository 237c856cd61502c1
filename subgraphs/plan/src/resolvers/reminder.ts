// The reminder digests in the graph: what the scheduler sent each agency, on which occasion, listing
// what it owed; the IOC reads every agency's, an agency its own.
import type { GraphQLResolveInfo } from "graphql";
import { checkPage, page, readsUpTo, userError, type PageArguments } from "@p06/subgraph-kit";
import type { PlanContext } from "../context.js";
import type { ReminderDigestDoc, ReminderOccasion } from "../models.js";
import { reminderProgress } from "../reminders/status.js";
import { checkCode, checkPeriod } from "./arguments.js";
import { callerOf } from "./mutation.js";

const MAX_PAGE = 1000;
const MAX_OUTSTANDING_PAGE = 5000;

export const reminderQuery = {
  reminders(
    _: unknown,
    args: PageArguments & {
      agency?: string | null;
      period?: string | null;
      occasion?: ReminderOccasion | null;
    },
    ctx: PlanContext,
    info: GraphQLResolveInfo,
  ) {
    const who = callerOf(ctx, "read");
    if (args.agency != null) {
      checkCode(args.agency, "agency");
      if (!ctx.state.agencyByCode.has(args.agency)) {
        throw userError(`unknown agency "${args.agency}"`, { argumentName: "agency" });
      }
    }
    // the IOC reads every agency's; an agency its own
    if (who !== "IOC" && args.agency != null && args.agency !== who) {
      throw userError("an agency reads its own reminders", { code: "FORBIDDEN" });
    }
    const agency = who === "IOC" ? args.agency : who;
    const period = args.period == null ? null : checkPeriod(args.period);
    // a month's reminders: its digests, their attempts and outcomes (each placed at the month, the
    // UNCONFIRMED instant too: unconfirmed-changes.ts), and the catalogue's names (any month's)
    if (period !== null) readsUpTo(ctx, info, period);
    const { limit, offset } = checkPage(args, MAX_PAGE);
    return [...ctx.state.reminders.values()]
      .filter(
        (r) =>
          (agency == null || r.agency === agency) &&
          (period == null || r.period === period) &&
          (args.occasion == null || r.occasion === args.occasion),
      )
      .reverse()
      .slice(offset, offset + limit);
  },
};

const iso = (date: Date | null) => date?.toISOString() ?? null;

export const Reminder = {
  id: (r: ReminderDigestDoc) => r._id,
  agency: (r: ReminderDigestDoc, _: unknown, ctx: PlanContext) => ctx.loaders.agency.load(r.agency),
  opensAt: (r: ReminderDigestDoc) => r.opensAt.toISOString(),
  dueAt: (r: ReminderDigestDoc) => r.dueAt.toISOString(),
  claimedAt: (r: ReminderDigestDoc) => r.claimedAt.toISOString(),
  outstandingCount: (r: ReminderDigestDoc) => r.outstanding.length,
  outstanding: (r: ReminderDigestDoc, args: PageArguments) =>
    page(r.outstanding, args, MAX_OUTSTANDING_PAGE),
  status: (r: ReminderDigestDoc, _: unknown, ctx: PlanContext) =>
    reminderProgress(ctx.state, r._id, new Date()).status,
  attempts: (r: ReminderDigestDoc, _: unknown, ctx: PlanContext) =>
    reminderProgress(ctx.state, r._id, new Date()).attempts,
  sentAt: (r: ReminderDigestDoc, _: unknown, ctx: PlanContext) =>
    iso(reminderProgress(ctx.state, r._id, new Date()).sentAt),
  response: (r: ReminderDigestDoc, _: unknown, ctx: PlanContext) =>
    reminderProgress(ctx.state, r._id, new Date()).response,
};

export const OwedFigure = {
  indicator: (f: { indicator: string }, _: unknown, ctx: PlanContext) =>
    ctx.loaders.indicator.load(f.indicator),
  unit: (f: { unit: string }, _: unknown, ctx: PlanContext) =>
    ctx.loaders.reportingUnit.load(f.unit),
};
