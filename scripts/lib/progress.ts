// A long step of `npm start` (the FerretDB build, the web build, the services' first start) says that it
// runs, how long it has run every so often, and what it took: a first start is minutes of silence
// otherwise.

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface ProgressOptions {
  /** How often to say it still runs (default 15 s). */
  everyMs?: number;
  /** What it has done so far, added to each "still" line ("212 packages compiled", say). */
  detail?: () => string | undefined;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** Says `label` every `everyMs` with the time since it began, until `stop()`, which returns the time taken. */
export function ticker(
  label: string,
  log: (line: string) => void,
  options: ProgressOptions = {},
): { stop(): number } {
  const now = options.now ?? Date.now;
  const started = now();
  const timer = setInterval(() => {
    const detail = options.detail?.();
    log(`${label}: ${seconds(now() - started)} so far${detail ? `, ${detail}` : ""}`);
  }, options.everyMs ?? 15_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return now() - started;
    },
  };
}

/** Runs a step, saying it began, how long it has run every so often, and the time it took. */
export async function withProgress<T>(
  label: string,
  log: (line: string) => void,
  run: () => Promise<T>,
  options: ProgressOptions = {},
): Promise<T> {
  log(`${label}...`);
  const tick = ticker(label, log, options);
  try {
    const result = await run();
    log(`${label}: done in ${seconds(tick.stop())}`);
    return result;
  } catch (error) {
    log(`${label}: failed after ${seconds(tick.stop())}`);
    throw error;
  }
}
