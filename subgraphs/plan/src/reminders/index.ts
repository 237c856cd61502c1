// The reminders on the 10th, for the plan subgraph and the dry-run command (`npm run reminders`).
export * from "./calendar.js";
export {
  readAddresses,
  readCalendar,
  readRemindersConfig,
  type RemindersConfig,
} from "./config.js";
export { composeDigest, digestKey, IOC, type Addresses, type Digest } from "./digest.js";
export { gatewayClient, readOwed, type AgencyOwed, type AskGraph, type Owed } from "./owed.js";
