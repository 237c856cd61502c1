// The steps of a review kept in memory by what they review (an agency's month, a commune's month with
// an agency), oldest first: each step is a record only ever inserted, so the last one is where the
// review stands. Loaded from its collection and followed through the change log (one kind of change).
import type { Model } from "mongoose";
import type { ReadModel } from "../changes/replica.js";
import { personSchema } from "../audit.js";
import { userError } from "../errors.js";

export interface StepDoc {
  /** 1 for the first step of what it reviews. */
  number: number;
  at: Date;
}

/** The fields every step's record has beside what it reviews (its mongoose schema's). */
export const STEP_FIELDS = {
  number: { type: Number, required: true },
  state: { type: String, required: true },
  /** Who took it: an agency's code, IOC or COMMUNE. */
  by: { type: String, required: true },
  person: { type: personSchema, default: null },
  at: { type: Date, required: true },
  reason: { type: String, default: null },
} as const;

export class StepBook<Doc extends StepDoc> {
  private readonly steps = new Map<string, Doc[]>();

  constructor(
    /** What a step reviews, as a key (agency|period, ...). */
    private readonly keyOf: (doc: Doc) => string,
    /** The kind of change its steps are published as. */
    private readonly kind: string,
    /** Each step names the month it reviews (`period`): a step changes nothing of earlier months. */
    private readonly byPeriod = false,
  ) {}

  /** The steps of what `key` names, oldest first. */
  protected stepsAt(key: string): Doc[] {
    return this.steps.get(key) ?? [];
  }

  /** The last step of everything reviewed. */
  protected lastSteps(): Doc[] {
    return [...this.steps.values()].map((list) => list.at(-1)!);
  }

  apply(docs: Doc[]): void {
    for (const doc of docs) {
      const key = this.keyOf(doc);
      const list = this.steps.get(key) ?? [];
      if (list.some((step) => step.number === doc.number)) continue;
      list.push({ ...doc, at: new Date(doc.at) });
      list.sort((a, b) => a.number - b.number);
      this.steps.set(key, list);
    }
  }

  readModel(model: Model<Doc>): ReadModel {
    return {
      kinds: [this.kind],
      load: async () => {
        this.steps.clear();
        this.apply(await model.find().lean<Doc[]>().exec());
      },
      apply: (_kind, payload) => this.apply(payload as Doc[]),
      byPeriod: this.byPeriod,
    };
  }
}

const MAX_REASON = 2000;

/** A step's reason, trimmed (null for none): required where `needed`, never too long. */
export function stepReason(
  given: string | null | undefined,
  needed: boolean,
  what: string,
): string | null {
  const reason = given?.trim() || null;
  if (needed && !reason) {
    throw userError(`to ${what}, say why (reason)`, { argumentName: "reason" });
  }
  if (reason && reason.length > MAX_REASON) {
    throw userError(`the reason is longer than ${MAX_REASON} characters`, {
      argumentName: "reason",
    });
  }
  return reason;
}
