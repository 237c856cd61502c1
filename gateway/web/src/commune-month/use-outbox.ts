// Sending a commune's typed figures: each is kept first (kept-figures.ts), then sent; the gateway's
// acceptance removes it. A connection that fails (offline, gateway unreachable, a subgraph down or
// busy, the session to renew) leaves it "not sent yet" and sends again with a growing wait, at once
// when the browser says it is online again, or when the person asks. A refusal by the gateway's rules
// stays on its field and is not sent again until the person changes it.
import { useCallback, useEffect, useRef, useState } from "react";
import { flagsFor } from "../agency-subgraph.js";
import { mutate, Refusal } from "../graphql/client.js";
import { WebSubmitReportDocument, type Measure } from "../graphql/generated/graphql.js";
import {
  readKept,
  writeKept,
  type KeptFigure,
  type KeptFigures,
  type Shelf,
} from "./kept-figures.js";
import { figureInput, type FigureField } from "./typed-figure.js";

/** Refusals that say nothing about the figure: the system could not take it now. */
const TRANSIENT = new Set([
  "SUBGRAPH_UNAVAILABLE",
  "SUBGRAPH_TIMEOUT",
  "SUBGRAPH_BUSY",
  "WRITE_DEADLINE_PASSED",
  "DATABASE_UNAVAILABLE",
  "RATE_LIMITED",
  "INTERNAL_SERVER_ERROR",
]);
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 60_000;

export interface Outbox {
  kept: KeptFigures;
  /** The figure being sent now, by key. */
  sending: string | null;
  /** When the figures not sent yet are sent again (null: none waits). */
  retryAt: Date | null;
  online: boolean;
  /** Keeps what was typed and sends it. */
  send(figure: Omit<KeptFigure, "state" | "refusal">): void;
  /** Sends every figure not sent yet, now. */
  flush(): void;
}

export function useOutbox(
  shelf: Shelf & { unit: string },
  measureOf: (key: string) => Measure | null,
  onAccepted: (key: string) => void,
): Outbox {
  const { person, commune, period, unit } = shelf;
  const [kept, setKept] = useState<KeptFigures>(() => readKept(shelf));
  const keptRef = useRef(kept);
  const [sending, setSending] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<Date | null>(null);
  const [online, setOnline] = useState(() => navigator.onLine);
  const failures = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flushing = useRef(false);
  const latest = useRef({ measureOf, onAccepted });
  latest.current = { measureOf, onAccepted };

  const update = useCallback(
    (change: (kept: KeptFigures) => KeptFigures) => {
      keptRef.current = change(keptRef.current);
      writeKept({ person, commune, period }, keptRef.current);
      setKept(keptRef.current);
    },
    [person, commune, period],
  );

  /** Sends one figure: true once the gateway took it or refused it, false when it could not be sent. */
  const sendOne = useCallback(
    async (figure: KeptFigure): Promise<boolean> => {
      const measure = latest.current.measureOf(figure.key);
      const made = measure && figureInput(measure, figure.typed);
      if (!made || !("figure" in made)) return true;
      setSending(figure.key);
      try {
        await mutate(WebSubmitReportDocument, {
          input: { period, values: [{ ...made.figure, indicator: figure.indicator, unit }] },
          ...flagsFor(figure.subgraph),
        });
        // taken, unless it was typed again while on its way
        update(({ [figure.key]: now, ...rest }) =>
          now && now.typed !== figure.typed ? { ...rest, [figure.key]: now } : rest,
        );
        latest.current.onAccepted(figure.key);
        return true;
      } catch (error) {
        if (!(error instanceof Refusal) || TRANSIENT.has(error.code ?? "")) return false;
        const problem = error.problems[0];
        const refusal = {
          code: problem?.code ?? error.code,
          message: problem?.message ?? error.message,
          field: problem?.column as FigureField | undefined,
        };
        update((all) =>
          all[figure.key]?.typed === figure.typed
            ? { ...all, [figure.key]: { ...figure, state: "refused", refusal } }
            : all,
        );
        return true;
      } finally {
        setSending(null);
      }
    },
    [period, unit, update],
  );

  const flush = useCallback(async () => {
    if (flushing.current) return;
    flushing.current = true;
    clearTimeout(timer.current);
    setRetryAt(null);
    // each kept figure once per round: one whose obligation the month no longer shows is not sent
    const tried = new Set<KeptFigure>();
    try {
      for (;;) {
        const next = Object.values(keptRef.current).find(
          (f) => f.state === "unsent" && !tried.has(f),
        );
        if (!next) {
          failures.current = 0;
          return;
        }
        tried.add(next);
        if (!(await sendOne(next))) {
          // not sent: again later, waiting longer each time (never a storm on a struggling system)
          const wait = Math.min(FIRST_WAIT_MS * 2 ** failures.current, LONGEST_WAIT_MS);
          failures.current += 1;
          setRetryAt(new Date(Date.now() + wait));
          timer.current = setTimeout(() => void flush(), wait);
          return;
        }
        failures.current = 0;
      }
    } finally {
      flushing.current = false;
    }
  }, [sendOne]);

  useEffect(() => {
    const back = () => {
      setOnline(true);
      failures.current = 0;
      void flush();
    };
    const gone = () => setOnline(false);
    window.addEventListener("online", back);
    window.addEventListener("offline", gone);
    // what an earlier visit kept is sent now
    void flush();
    return () => {
      window.removeEventListener("online", back);
      window.removeEventListener("offline", gone);
      clearTimeout(timer.current);
    };
  }, [flush]);

  return {
    kept,
    sending,
    retryAt,
    online,
    send(figure) {
      update((all) => ({ ...all, [figure.key]: { ...figure, state: "unsent" } }));
      failures.current = 0;
      void flush();
    },
    flush: () => {
      failures.current = 0;
      void flush();
    },
  };
}
