// The reminders' scheduler, inside the plan subgraph: at start and every interval it works out the
// occasion due now (calendar.ts), reads what each agency owes through the gateway, and sends each
// agency's digest that is not recorded yet. Claim first, then send, then record the outcome, each an
// insert that only one writer can make: a restart, or a second instance, never sends an occasion
// twice, and a check after a stop catches up what is due once. A failed send is tried again at each
// check while its occasion is the current one, up to MAX_ATTEMPTS.
import { insertOnce, type Logger, type Replica } from "@p06/subgraph-kit";
import type {
  PlanModels,
  ReminderAttemptDoc,
  ReminderDigestDoc,
  ReminderOutcomeDoc,
} from "../models.js";
import { PLAN_CHANGES, type PlanState } from "../plan-state.js";
import { occasionDue, type ReminderCalendar } from "./calendar.js";
import { composeDigest, type Addresses, type Digest } from "./digest.js";
import { readOwed, type AskGraph } from "./owed.js";
import { MAX_ATTEMPTS, reminderProgress } from "./status.js";

/** What sends a message: nodemailer's transport in production, anything alike in a test. */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string[];
    cc: string[];
    subject: string;
    text: string;
    messageId: string;
    date: Date;
    headers: Record<string, string>;
  }): Promise<{ response?: string; rejected?: unknown[] }>;
}

export interface SchedulerOptions {
  models: PlanModels;
  state: PlanState;
  replica: Replica;
  transport: MailTransport;
  ask: AskGraph;
  from: string;
  addresses: Addresses;
  calendar: ReminderCalendar;
  intervalMs: number;
  now: () => Date;
  logger: Logger;
}

/** What one check did. */
export interface CheckResult {
  /** The occasion due, agency|period|occasion keys aside: `2026-10 LATE`, or null. */
  occasion: string | null;
  sent: string[];
  failed: string[];
  /** Agencies that owe figures but have no address (or, for an escalation, the IOC has none). */
  unaddressed: string[];
}

/** A failed check (the gateway not up yet, a subgraph down) is tried again this soon. */
const RETRY_CHECK_MS = 5_000;

export function startReminders(options: SchedulerOptions) {
  const { models, state, replica, transport, logger } = options;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  /** One attempt: claimed, sent, its outcome recorded; false when another writer took the attempt. */
  async function attempt(digest: ReminderDigestDoc, number: number): Promise<boolean | null> {
    const claim: ReminderAttemptDoc = {
      _id: `${digest._id}#${number}`,
      digest: digest._id,
      attempt: number,
      at: options.now(),
    };
    if ((await insertOnce(models.ReminderAttempt.collection, [claim])).size > 0) return null;
    // published with the month reminded of: the change's place (the kit's changes/steps.ts)
    await replica.publish(PLAN_CHANGES.reminderAttempt, [{ ...claim, period: digest.period }]);
    let outcome: ReminderOutcomeDoc;
    try {
      const info = await transport.sendMail({
        from: options.from,
        to: digest.to,
        cc: digest.cc,
        subject: digest.subject,
        text: digest.text,
        // the same id on every attempt: a mail system that got it once can tell a second copy
        messageId: `<reminder.${digest._id.replaceAll("|", ".")}@p06.haiphong>`,
        date: claim.at,
        headers: { "X-P06-Reminder": digest._id },
      });
      outcome = {
        _id: claim._id,
        digest: digest._id,
        ok: true,
        // a server that refuses some recipients takes it for the others: sent, the refused named
        response:
          (info.response ?? "accepted") +
          (info.rejected?.length ? `; refused for ${info.rejected.map(String).join(", ")}` : ""),
        at: options.now(),
      };
    } catch (error) {
      outcome = {
        _id: claim._id,
        digest: digest._id,
        ok: false,
        response: error instanceof Error ? error.message : String(error),
        at: options.now(),
      };
    }
    await insertOnce(models.ReminderOutcome.collection, [outcome]);
    await replica.publish(PLAN_CHANGES.reminderOutcome, [{ ...outcome, period: digest.period }]);
    logger[outcome.ok ? "info" : "warn"](
      { reminder: digest._id, attempt: number, response: outcome.response },
      outcome.ok ? "reminder sent" : "reminder not sent",
    );
    return outcome.ok;
  }

  function claimOf({ key, ...digest }: Digest, at: Date): ReminderDigestDoc {
    return { _id: key, ...digest, claimedAt: at };
  }

  async function check(): Promise<CheckResult> {
    const now = options.now();
    const due = occasionDue(now, options.calendar);
    const result: CheckResult = {
      occasion: due && `${due.period} ${due.occasion}`,
      sent: [],
      failed: [],
      unaddressed: [],
    };
    if (!due) return result;
    // every instance's claims so far
    await replica.catchUp(0, false);
    const record = (key: string, ok: boolean | null) => {
      if (ok !== null) (ok ? result.sent : result.failed).push(key);
    };
    // the occasion's digests that failed, or were claimed by a process that stopped before sending
    for (const digest of state.reminders.values()) {
      if (digest.period !== due.period || digest.occasion !== due.occasion) continue;
      const progress = reminderProgress(state, digest._id, now);
      const retry =
        (progress.status === "FAILED" && progress.attempts < MAX_ATTEMPTS) ||
        progress.attempts === 0;
      if (retry) record(digest._id, await attempt(digest, progress.attempts + 1));
    }
    const owed = await readOwed(options.ask, due.period);
    for (const agency of owed.agencies) {
      const { digest, unaddressed } = composeDigest(agency, due.period, due.occasion, now, {
        names: owed.names,
        addresses: options.addresses,
        calendar: options.calendar,
      });
      if (unaddressed) result.unaddressed.push(agency.agency);
      if (!digest || state.reminders.has(digest.key)) continue;
      const claim = claimOf(digest, now);
      // the claim: only one insert of this key succeeds, whichever instance or restart tries
      if ((await insertOnce(models.ReminderDigest.collection, [claim])).size > 0) continue;
      await replica.publish(PLAN_CHANGES.reminderDigest, [claim]);
      record(claim._id, await attempt(claim, 1));
    }
    return result;
  }

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = checkAndLog().then(schedule);
    }, ms);
    timer.unref();
  };

  /** A check, logged; the delay until the next one. */
  async function checkAndLog(): Promise<number> {
    try {
      const result = await check();
      logger.info(result, "reminders checked");
      return options.intervalMs;
    } catch (error) {
      logger.warn({ err: error }, "reminders not checked; trying again shortly");
      return Math.min(RETRY_CHECK_MS, options.intervalMs);
    }
  }

  return {
    /** Starts checking: the first check right after `delayMs`, then every interval. */
    start(delayMs = 0) {
      schedule(delayMs);
    },
    check,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
