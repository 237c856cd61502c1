// The plan subgraph's read model: the catalogue, the reporting units, task updates and assigned
// targets in memory, loaded once and kept current through the change log (the plan's figures are the
// kit's FigureStore). Resolvers read from here, never from the database.
import type { ReadModel } from "@p06/subgraph-kit";
import type {
  AgencyDoc,
  CommunePlanDoc,
  ExplanationAnswerDoc,
  ExplanationRequestDoc,
  IndicatorDoc,
  PlanModels,
  ReminderAttemptDoc,
  ReminderDigestDoc,
  ReminderOutcomeDoc,
  ReportingUnitDoc,
  TargetAssignmentDoc,
  TaskDoc,
  TaskUpdateDoc,
} from "./models.js";

/** The change kinds the plan publishes. */
export const PLAN_CHANGES = {
  taskUpdate: "task.update",
  targetAssignment: "target.assign",
  reportingUnits: "units",
  explanationRequest: "explanation.request",
  explanationAnswer: "explanation.answer",
  reminderDigest: "reminder.digest",
  reminderAttempt: "reminder.attempt",
  reminderOutcome: "reminder.outcome",
  communePlan: "commune-plan.record",
} as const;

type WithId = { _id?: unknown };

/** Appends records not seen yet (by `_id`), keeping each list ordered by `at`. */
function appendNew<Doc>(
  lists: Map<string, Doc[]>,
  seen: Set<string>,
  docs: (Doc & WithId)[],
  keyOf: (doc: Doc) => string,
  at: (doc: Doc) => Date,
) {
  for (const doc of docs) {
    const id = String(doc._id);
    if (seen.has(id)) continue;
    seen.add(id);
    const list = lists.get(keyOf(doc)) ?? [];
    list.push(doc);
    list.sort((a, b) => new Date(at(a)).getTime() - new Date(at(b)).getTime());
    lists.set(keyOf(doc), list);
  }
}

const byOrder = <T extends { order: number }>(docs: T[]) => docs.sort((a, b) => a.order - b.order);

export class PlanState {
  indicators: IndicatorDoc[] = [];
  tasks: TaskDoc[] = [];
  agencies: AgencyDoc[] = [];
  /** The city first, then the communes by code. */
  reportingUnits: ReportingUnitDoc[] = [];
  readonly indicatorByCode = new Map<string, IndicatorDoc>();
  readonly taskByCode = new Map<string, TaskDoc>();
  readonly agencyByCode = new Map<string, AgencyDoc>();
  readonly unitByCode = new Map<string, ReportingUnitDoc>();
  /** Each task's updates, oldest first. */
  readonly taskUpdates = new Map<string, TaskUpdateDoc[]>();
  /** Each indicator's assigned targets, oldest first. */
  readonly assignments = new Map<string, TargetAssignmentDoc[]>();
  /** The IOC's explanation requests, by id, in the order they were asked. */
  readonly explanationRequests = new Map<string, ExplanationRequestDoc>();
  /** Each answered request's answer, by the request's id. */
  readonly explanationAnswers = new Map<string, ExplanationAnswerDoc>();
  /** The reminder digests claimed, by agency|period|occasion, in the order they were claimed. */
  readonly reminders = new Map<string, ReminderDigestDoc>();
  /** Each digest's attempts to send it, in order. */
  readonly reminderAttempts = new Map<string, ReminderAttemptDoc[]>();
  /** Each attempt's outcome, by the attempt's id. */
  readonly reminderOutcomes = new Map<string, ReminderOutcomeDoc>();
  /** Each commune's implementation plan: its latest record, by the unit's code. */
  readonly communePlans = new Map<string, CommunePlanDoc>();
  private readonly seen = new Set<string>();

  constructor(private readonly models: PlanModels) {}

  /** Every assignment, oldest first (a review's input). */
  allAssignments(): TargetAssignmentDoc[] {
    return [...this.assignments.values()]
      .flat()
      .sort((a, b) => new Date(a.setAt).getTime() - new Date(b.setAt).getTime());
  }

  private setUnits(units: ReportingUnitDoc[]) {
    for (const unit of units) this.unitByCode.set(unit.code, unit);
    // the city (no parent) first, then by code: the order the graph has always listed them in
    this.reportingUnits = [...this.unitByCode.values()].sort(
      (a, b) =>
        Number(a.parent != null) - Number(b.parent != null) ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
  }

  readonly readModel: ReadModel = {
    kinds: Object.values(PLAN_CHANGES),
    // a reminder's digest, attempt and outcome name the month reminded of: sending the 10th's
    // reminders leaves the months before it kept (nothing but the reminders reads them, a month's
    // reminders reading that month)
    kindsByPeriod: [
      PLAN_CHANGES.reminderDigest,
      PLAN_CHANGES.reminderAttempt,
      PLAN_CHANGES.reminderOutcome,
    ],
    load: async () => {
      const {
        Indicator,
        Task,
        Agency,
        ReportingUnit,
        TaskUpdate,
        TargetAssignment,
        ExplanationRequest,
        ExplanationAnswer,
        ReminderDigest,
        ReminderAttempt,
        ReminderOutcome,
        CommunePlan,
      } = this.models;
      const [
        indicators,
        tasks,
        agencies,
        units,
        updates,
        assignments,
        requests,
        answers,
        digests,
        attempts,
        outcomes,
        communePlans,
      ] = await Promise.all([
        Indicator.find().lean<IndicatorDoc[]>().exec(),
        Task.find().lean<TaskDoc[]>().exec(),
        Agency.find().lean<AgencyDoc[]>().exec(),
        ReportingUnit.find().lean<ReportingUnitDoc[]>().exec(),
        TaskUpdate.find().lean<(TaskUpdateDoc & WithId)[]>().exec(),
        TargetAssignment.find().lean<(TargetAssignmentDoc & WithId)[]>().exec(),
        ExplanationRequest.find().sort({ askedAt: 1 }).lean<ExplanationRequestDoc[]>().exec(),
        ExplanationAnswer.find().lean<ExplanationAnswerDoc[]>().exec(),
        ReminderDigest.find().sort({ claimedAt: 1 }).lean<ReminderDigestDoc[]>().exec(),
        ReminderAttempt.find().sort({ attempt: 1 }).lean<ReminderAttemptDoc[]>().exec(),
        ReminderOutcome.find().lean<ReminderOutcomeDoc[]>().exec(),
        CommunePlan.find().sort({ recordedAt: 1 }).lean<CommunePlanDoc[]>().exec(),
      ]);
      this.indicators = byOrder(indicators);
      this.tasks = byOrder(tasks);
      this.agencies = byOrder(agencies);
      for (const map of [this.indicatorByCode, this.taskByCode, this.agencyByCode, this.unitByCode])
        map.clear();
      for (const doc of this.indicators) this.indicatorByCode.set(doc.code, doc);
      for (const doc of this.tasks) this.taskByCode.set(doc.code, doc);
      for (const doc of this.agencies) this.agencyByCode.set(doc.code, doc);
      this.setUnits(units);
      this.taskUpdates.clear();
      this.assignments.clear();
      this.seen.clear();
      this.apply(PLAN_CHANGES.taskUpdate, updates);
      this.apply(PLAN_CHANGES.targetAssignment, assignments);
      this.explanationRequests.clear();
      this.explanationAnswers.clear();
      this.apply(PLAN_CHANGES.explanationRequest, requests);
      this.apply(PLAN_CHANGES.explanationAnswer, answers);
      this.reminders.clear();
      this.reminderAttempts.clear();
      this.reminderOutcomes.clear();
      this.apply(PLAN_CHANGES.reminderDigest, digests);
      this.apply(PLAN_CHANGES.reminderAttempt, attempts);
      this.apply(PLAN_CHANGES.reminderOutcome, outcomes);
      this.communePlans.clear();
      this.apply(PLAN_CHANGES.communePlan, communePlans);
    },
    apply: (kind, payload) => this.apply(kind, payload),
  };

  apply(kind: string, payload: unknown[]): void {
    if (kind === PLAN_CHANGES.taskUpdate) {
      appendNew<TaskUpdateDoc>(
        this.taskUpdates,
        this.seen,
        payload as (TaskUpdateDoc & WithId)[],
        (u) => u.task,
        (u) => u.updatedAt,
      );
    } else if (kind === PLAN_CHANGES.targetAssignment) {
      appendNew<TargetAssignmentDoc>(
        this.assignments,
        this.seen,
        payload as (TargetAssignmentDoc & WithId)[],
        (a) => a.indicator,
        (a) => a.setAt,
      );
    } else if (kind === PLAN_CHANGES.explanationRequest) {
      for (const doc of payload as ExplanationRequestDoc[])
        this.explanationRequests.set(doc._id, { ...doc, askedAt: new Date(doc.askedAt) });
    } else if (kind === PLAN_CHANGES.explanationAnswer) {
      for (const doc of payload as ExplanationAnswerDoc[])
        this.explanationAnswers.set(doc._id, { ...doc, answeredAt: new Date(doc.answeredAt) });
    } else if (kind === PLAN_CHANGES.reminderDigest) {
      for (const doc of payload as ReminderDigestDoc[]) {
        const dates = { opensAt: new Date(doc.opensAt), dueAt: new Date(doc.dueAt) };
        this.reminders.set(doc._id, { ...doc, ...dates, claimedAt: new Date(doc.claimedAt) });
      }
    } else if (kind === PLAN_CHANGES.reminderAttempt) {
      for (const doc of payload as ReminderAttemptDoc[]) {
        const attempts = this.reminderAttempts.get(doc.digest) ?? [];
        if (attempts.some((a) => a._id === doc._id)) continue;
        attempts.push({ ...doc, at: new Date(doc.at) });
        attempts.sort((a, b) => a.attempt - b.attempt);
        this.reminderAttempts.set(doc.digest, attempts);
      }
    } else if (kind === PLAN_CHANGES.reminderOutcome) {
      for (const doc of payload as ReminderOutcomeDoc[])
        this.reminderOutcomes.set(doc._id, { ...doc, at: new Date(doc.at) });
    } else if (kind === PLAN_CHANGES.communePlan) {
      for (const doc of payload as CommunePlanDoc[]) {
        const record = { ...doc, recordedAt: new Date(doc.recordedAt) };
        const current = this.communePlans.get(doc.unit);
        // the latest recorded counts, whichever order the records arrive in
        if (!current || current.recordedAt <= record.recordedAt) {
          this.communePlans.set(doc.unit, record);
        }
      }
    } else if (kind === PLAN_CHANGES.reportingUnits) {
      this.setUnits(payload as ReportingUnitDoc[]);
    }
  }
}
