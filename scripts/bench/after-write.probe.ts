import {
  ask,
  openBenchDatabase,
  startBenchSystem,
  scorecardOperation,
  scorecardVariables,
  summarize,
} from "./harness.js";
const db = await openBenchDatabase((process.env.SIZE as "today") ?? "today");
const system = await startBenchSystem(db, { gatewayEnv: { RATE_LIMIT_PER_MINUTE: "1000000" } });
try {
  const ioc = await system.token("IOC");
  const doh = await system.token("DOH");
  const mutation = `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { numerator } }`;
  const after: number[] = [],
    writes: number[] = [],
    kept: number[] = [];
  for (let i = 0; i < 30; i++) {
    const w = await ask(system.gatewayUrl, doh, mutation, {
      input: {
        indicator: "II.12",
        unit: "10507",
        period: "2026-10",
        numerator: 100 + i,
        denominator: 1000000,
      },
    });
    writes.push(w.ms);
    after.push((await ask(system.gatewayUrl, ioc, scorecardOperation, scorecardVariables)).ms);
    kept.push((await ask(system.gatewayUrl, ioc, scorecardOperation, scorecardVariables)).ms);
  }
  console.log("write", summarize(writes));
  console.log("scorecard after write", summarize(after));
  console.log("scorecard kept", summarize(kept));
} finally {
  await system.stop();
  await db.stop();
}
