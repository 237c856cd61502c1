// Starts the embedded OpenID provider (`npm start` and the tests' systems start it beside the
// gateway): one process, so that oidc-provider's sessions, codes and grants, kept in its memory, are
// all in one place whichever gateway worker a person's page talks to. Not in production.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, runService } from "@p06/subgraph-kit";
import { ensureDevKeys } from "../trust/keys.js";
import { createProviderApp } from "./app.js";
import { readProviderConfig } from "./config.js";

const logger = createLogger("oidc");

await runService(logger, async () => {
  const config = readProviderConfig();
  logger.level = config.logLevel;
  // the development key pair the gateway and `npm run token` know, generated on first start
  const { privateKeyFile } = await ensureDevKeys(config.keysDir);
  const { app } = await createProviderApp(config, logger, privateKeyFile);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  logger.info(
    { issuer: config.issuer, port, dashboardOrigins: config.dashboardOrigins },
    "OpenID provider listening",
  );
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
});
