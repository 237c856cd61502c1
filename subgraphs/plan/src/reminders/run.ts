// The reminders as the plan subgraph runs them: nodemailer over SMTP, the gateway asked with the IOC
// service account's token, which the scheduler's machine client gets from the OpenID provider by
// client credentials and keeps in memory until shortly before it expires.
import nodemailer from "nodemailer";
import { clientCredentialsTokens, type Logger } from "@p06/subgraph-kit";
import type { PlanRuntimeState } from "../context.js";
import type { RemindersConfig } from "./config.js";
import { gatewayClient } from "./owed.js";
import { startReminders } from "./scheduler.js";

export function runReminders(config: RemindersConfig, runtime: PlanRuntimeState, logger: Logger) {
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    ...(config.smtp.user && { auth: { user: config.smtp.user, pass: config.smtp.password ?? "" } }),
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const token = clientCredentialsTokens(config.client);
  const scheduler = startReminders({
    models: runtime.models,
    state: runtime.state,
    replica: runtime.values.replica,
    transport,
    ask: gatewayClient(config.gatewayUrl, token),
    from: config.from,
    addresses: config.addresses,
    calendar: config.calendar,
    intervalMs: config.intervalMs,
    now: config.now,
    logger,
  });
  logger.info(
    {
      smtp: `${config.smtp.host}:${config.smtp.port}`,
      agencies: [...config.addresses.keys()],
      calendar: config.calendar,
      everySeconds: config.intervalMs / 1000,
      now: config.now().toISOString(),
      client: config.client.clientId,
    },
    "reminders on",
  );
  return {
    /** Starts the checks once the subgraph serves (the gateway asks it for the review). */
    start: () => scheduler.start(1000),
    async stop() {
      await scheduler.stop();
      transport.close();
    },
  };
}
