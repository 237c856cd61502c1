// The reminders' configuration, read once at start-up: off unless an SMTP host is set (tests and
// `npm start` never mail by accident); when on, everything it needs is named or start-up stops.
import { readFileSync } from "node:fs";
import {
  boundedIntEnv,
  ConfigError,
  intEnv,
  requireEnv,
  type ClientCredentials,
} from "@p06/subgraph-kit";
import { catalogue } from "@p06/catalogue";
import { DEFAULT_CALENDAR, type ReminderCalendar } from "./calendar.js";
import { IOC, type Addresses } from "./digest.js";

type Env = Record<string, string | undefined>;

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS whenever the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
}

export interface RemindersConfig {
  smtp: SmtpConfig;
  from: string;
  addresses: Addresses;
  calendar: ReminderCalendar;
  /** How often the scheduler looks for an occasion to send. */
  intervalMs: number;
  /** The gateway's /graphql, asked as the IOC for what agencies owe. */
  gatewayUrl: string;
  /**
   * The scheduler's machine client at the OpenID provider: its tokens (the IOC's service account,
   * read-only) come by client credentials, kept in memory only.
   */
  client: ClientCredentials;
  /** The clock: real time, or running from a given instant (tests, rehearsals). */
  now: () => Date;
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/**
 * The addresses per agency: a JSON object from agency code (or IOC) to an address or a list of them,
 * in P06_REMINDERS_ADDRESSES or the file P06_REMINDERS_ADDRESSES_FILE names. None: an empty map.
 */
export function readAddresses(env: Env = process.env): Addresses {
  const file = env.P06_REMINDERS_ADDRESSES_FILE?.trim();
  const inline = env.P06_REMINDERS_ADDRESSES?.trim();
  const source = file ? "P06_REMINDERS_ADDRESSES_FILE" : "P06_REMINDERS_ADDRESSES";
  let text = inline;
  if (file) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new ConfigError(`${source}: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (!text) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (parsed == null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`${source} must be a JSON object: {"DOH": ["so-y-te@example.vn"], ...}`);
  }
  const known = new Set([IOC, ...catalogue.agencies.map((a) => a.code)]);
  const addresses: Addresses = new Map();
  for (const [agency, value] of Object.entries(parsed)) {
    if (!known.has(agency)) {
      throw new ConfigError(`${source}: "${agency}" is neither IOC nor an agency of the plan`);
    }
    const list: unknown[] = Array.isArray(value) ? value : [value];
    for (const address of list) {
      if (typeof address !== "string" || !ADDRESS.test(address)) {
        throw new ConfigError(
          `${source}: ${agency} has "${String(address)}", not an e-mail address`,
        );
      }
    }
    if (list.length > 0) addresses.set(agency, list as string[]);
  }
  return addresses;
}

/** A clock that starts at P06_REMINDERS_NOW (an ISO 8601 instant) and runs; real time without it. */
export function readClock(env: Env = process.env): () => Date {
  const raw = env.P06_REMINDERS_NOW?.trim();
  if (!raw) return () => new Date();
  const start = Date.parse(raw);
  if (Number.isNaN(start)) {
    throw new ConfigError(`environment variable P06_REMINDERS_NOW must be an ISO 8601 instant`);
  }
  const offset = start - Date.now();
  return () => new Date(Date.now() + offset);
}

/** The calendar: P06_REMINDERS_DAYS_BEFORE (1-9) and P06_REMINDERS_ESCALATION_DAYS (2-18). */
export function readCalendar(env: Env = process.env): ReminderCalendar {
  return {
    daysBefore: boundedIntEnv("P06_REMINDERS_DAYS_BEFORE", DEFAULT_CALENDAR.daysBefore, 1, 9, env),
    escalationDays: boundedIntEnv(
      "P06_REMINDERS_ESCALATION_DAYS",
      DEFAULT_CALENDAR.escalationDays,
      2,
      18,
      env,
    ),
  };
}

function httpUrl(name: string, env: Env): string {
  const url = requireEnv(name, env);
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`environment variable ${name} must be an http(s) URL`);
  }
  return url;
}

/** The scheduler's configuration, or null (off) when no SMTP host is set. */
export function readRemindersConfig(env: Env = process.env): RemindersConfig | null {
  const host = env.P06_SMTP_HOST?.trim();
  if (!host) return null;
  const secure = env.P06_SMTP_SECURE?.trim() === "1";
  const user = env.P06_SMTP_USER?.trim() || null;
  const password = env.P06_SMTP_PASSWORD ?? null;
  if (user && !password) {
    throw new ConfigError("environment variable P06_SMTP_PASSWORD is required with P06_SMTP_USER");
  }
  const from = requireEnv("P06_REMINDERS_FROM", env);
  if (!ADDRESS.test(from.replace(/^.*<([^>]+)>\s*$/, "$1"))) {
    throw new ConfigError(`environment variable P06_REMINDERS_FROM must be an e-mail address`);
  }
  const addresses = readAddresses(env);
  if (!addresses.has(IOC)) {
    throw new ConfigError(
      "the reminders' addresses (P06_REMINDERS_ADDRESSES or _FILE) must name the IOC's, for escalations",
    );
  }
  const gatewayUrl = httpUrl("P06_REMINDERS_GATEWAY_URL", env);
  return {
    smtp: {
      host,
      port: intEnv("P06_SMTP_PORT", secure ? 465 : 587, env),
      secure,
      user,
      password: user ? password : null,
    },
    from,
    addresses,
    calendar: readCalendar(env),
    intervalMs: boundedIntEnv("P06_REMINDERS_INTERVAL_SECONDS", 600, 1, 86_400, env) * 1000,
    gatewayUrl,
    client: {
      issuer: httpUrl("OIDC_ISSUER", env),
      clientId: env.P06_REMINDERS_CLIENT_ID?.trim() || "p06-reminders",
      clientSecret: requireEnv("P06_REMINDERS_CLIENT_SECRET", env),
    },
    now: readClock(env),
  };
}
