// Start-up of a subgraph's values: indexes, then demo data on an empty database when asked.
import type { Connection } from "mongoose";
import { bulkWriteInBatches } from "../bulk-write.js";
import type { Logger } from "../logger.js";
import type { IndicatorDefinition } from "./definitions.js";
import { demoValues } from "./demo.js";
import { valueModels } from "./model.js";
import { recoverWrites } from "./store.js";
import { currentPeriod } from "./validate.js";

export interface PrepareOptions {
  definitions: IndicatorDefinition[];
  units: string[];
  cityCode: string;
}

/** Demo data is loaded with P06_DEMO_DATA=1, reproducibly from P06_DEMO_SEED (default 6). */
export async function prepareValues(
  db: Connection,
  options: PrepareOptions,
  logger: Logger,
  demo = process.env.P06_DEMO_DATA === "1",
): Promise<void> {
  const models = valueModels(db);
  await Promise.all(Object.values(models).map((model) => model.createIndexes()));
  const recovered = await recoverWrites(models);
  if (recovered.finished || recovered.discarded) {
    logger.warn(
      recovered,
      "recovered writes a crash interrupted: committed batches finished, uncommitted stages discarded",
    );
  }
  if (!demo || (await models.DataValue.estimatedDocumentCount()) > 0) return;
  const started = Date.now();
  const docs = demoValues(options.definitions, {
    seed: Number(process.env.P06_DEMO_SEED ?? 6),
    from: "2026-01",
    // up to the last complete month
    to: currentPeriod(new Date(Date.now() - 28 * 24 * 3600 * 1000)),
    units: options.units,
    cityCode: options.cityCode,
  });
  await bulkWriteInBatches(
    models.DataValue,
    docs.map((document) => ({ insertOne: { document } })),
  );
  logger.info({ values: docs.length, ms: Date.now() - started }, "demo data loaded");
}
