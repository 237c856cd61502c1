// Where `npm start` puts what its services say: every line in a file of the service's own
// (data/logs/<service>.log, the previous start's kept as <service>.1.log), and on screen only the
// warnings and errors, so that the start banner's URLs stay in view. The services log pino's JSON
// (level 40 is a warning); a line that is not JSON (a stack trace, Node's own warnings) goes on
// screen too.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";

/** pino's levels by number. */
const LEVELS: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

interface PinoLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

function pinoLine(line: string): PinoLine | null {
  if (!line.startsWith("{")) return null;
  try {
    const parsed = JSON.parse(line) as unknown;
    return typeof parsed === "object" && parsed && typeof (parsed as PinoLine).level === "number"
      ? (parsed as PinoLine)
      : null;
  } catch {
    return null;
  }
}

/**
 * What a service's line shows on screen: a warning or an error, made readable (level, message, the
 * other fields); null for what only goes to its file (info and below).
 */
export function screenLine(service: string, line: string): string | null {
  const entry = pinoLine(line);
  if (!entry) return `[${service}] ${line}`;
  if (entry.level < 40) return null;
  // time, pid and host are in the file; the name is the prefix
  const { level, msg, time: _t, pid: _p, hostname: _h, name: _n, ...fields } = entry;
  const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
  return `[${service}] ${LEVELS[level] ?? `LEVEL ${level}`} ${msg ?? ""}${rest}`;
}

export interface ServiceLogs {
  /** The folder of the files. */
  dir: string;
  /** The file of a service. */
  fileOf(service: string): string;
  /** Files a line of a service, and shows it on screen if it is a warning or an error. */
  line(service: string, line: string): void;
  /** Files a line of a service, never on screen. */
  file(service: string, line: string): void;
  /** Closes the files (everything written is flushed). */
  close(): Promise<void>;
}

/** Opens the log folder: each service's file of the last start is kept as <service>.1.log. */
export async function openServiceLogs(
  dir: string,
  screen: (line: string) => void = (line) => console.log(line),
): Promise<ServiceLogs> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, Promise<WriteStream>>();
  const fileOf = (service: string) => join(dir, `${service}.log`);
  const open = (service: string) => {
    let stream = files.get(service);
    if (!stream) {
      stream = rename(fileOf(service), join(dir, `${service}.1.log`))
        .catch(() => undefined)
        .then(() => createWriteStream(fileOf(service), { flags: "a" }));
      files.set(service, stream);
    }
    return stream;
  };
  const file = (service: string, line: string) => {
    // pino's lines carry their time; the others get one
    const filed = pinoLine(line) ? line : `${new Date().toISOString()} ${line}`;
    void open(service).then((stream) => stream.write(`${filed}\n`));
  };
  return {
    dir,
    fileOf,
    file,
    line(service, line) {
      file(service, line);
      const shown = screenLine(service, line);
      if (shown !== null) screen(shown);
    },
    async close() {
      await Promise.all(
        [...files.values()].map(
          async (opened) => new Promise<void>((resolve) => void opened.then((s) => s.end(resolve))),
        ),
      );
    },
  };
}
