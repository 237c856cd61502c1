// Starts the plan subgraph: seeds the catalogue, loads the plan's state and figures, then serves; with
// an SMTP server configured, the reminders' scheduler runs in it too.
import { runSubgraph } from "@p06/subgraph-kit";
import { readRemindersConfig } from "./reminders/config.js";
import { runReminders } from "./reminders/run.js";
import { buildPlanSchema, openPlan } from "./schema.js";

await runSubgraph({
  name: "plan",
  schema: buildPlanSchema(),
  open: async (db, logger) => {
    const config = readRemindersConfig();
    const plan = await openPlan(db, logger);
    if (!config) {
      logger.info("reminders off: P06_SMTP_HOST is not set");
      return plan;
    }
    const reminders = runReminders(config, plan.runtime, logger);
    return {
      ...plan,
      onServing: reminders.start,
      async close() {
        await reminders.stop();
        await plan.close();
      },
    };
  },
});
