// The embedded provider as an HTTP application: its Vietnamese sign-in (the interaction), failed
// sign-ins rate limited, health and readiness, and oidc-provider's own endpoints (discovery, JWKS,
// authorization, token, end of session). Every page it serves says, in its Content-Security-Policy,
// that it loads nothing from another host and runs no script.
import type { Logger } from "@p06/subgraph-kit";
import express, { type NextFunction, type Request, type Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import Provider, { errors } from "oidc-provider";
import { readSigningKey } from "../trust/keys.js";
import { AccountBook, readAccounts } from "./accounts.js";
import { ensureProviderSecrets, machineClients } from "./clients.js";
import type { ProviderConfig } from "./config.js";
import {
  errorPage,
  signInPage,
  STYLESHEET,
  STYLESHEET_PATH,
  tooManyAttempts,
  WRONG_CREDENTIALS,
} from "./pages.js";
import { createProvider } from "./provider.js";

export interface ProviderApp {
  app: express.Express;
  provider: Provider;
  accounts: AccountBook;
}

const noCache = (_req: Request, res: Response, next: NextFunction) => {
  res.set("cache-control", "no-store");
  next();
};

export async function createProviderApp(
  config: ProviderConfig,
  logger: Logger,
  signingKeyFile: string,
): Promise<ProviderApp> {
  const accounts = new AccountBook(readAccounts(config.accountsFile));
  const machines = machineClients();
  const secrets = ensureProviderSecrets(
    config.keysDir,
    machines.map((machine) => machine.clientId),
  );
  const provider = createProvider({
    config,
    accounts,
    machines,
    secrets,
    signingKey: await readSigningKey(signingKeyFile),
  });

  const app = express();
  app.disable("x-powered-by");
  const origins = config.dashboardOrigins.join(" ");
  app.use((_req, res, next) => {
    // a form's redirects end on the gateway's origins; the silent renewal frames the provider there
    res.set(
      "content-security-policy",
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${origins}; frame-ancestors ${origins}; base-uri 'none'`,
    );
    res.set("x-content-type-options", "nosniff");
    res.set("referrer-policy", "no-referrer");
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service: "oidc" });
  });
  app.get("/readyz", (_req, res) => {
    res.json({ status: "ready", service: "oidc", issuer: config.issuer });
  });
  // browsers ask for an icon on every page: none, rather than a 404 in their console
  app.get("/favicon.ico", (_req, res) => {
    res.status(204).set("cache-control", "max-age=86400").end();
  });
  app.get(STYLESHEET_PATH, (_req, res) => {
    res.type("css").set("cache-control", "max-age=3600").send(STYLESHEET);
  });

  const paths = (uid: string) => ({
    action: `/interaction/${encodeURIComponent(uid)}/login`,
    cancel: `/interaction/${encodeURIComponent(uid)}/abort`,
  });

  app.get("/interaction/:uid", noCache, async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        res.type("html").send(signInPage(paths(details.uid)));
        return;
      }
      // the city's own application: whatever it asks beyond signing in is granted
      const { accountId } = details.session ?? {};
      if (!accountId) throw new errors.SessionNotFound("no session to consent for");
      const grant = details.grantId
        ? ((await provider.Grant.find(details.grantId)) ??
          new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
        : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(" "));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch (error) {
      next(error);
    }
  });

  const window = config.signInWindowSeconds * 1000;
  /** A refused sign-in the limit ended: the page again, saying when to try. */
  const limited = (req: Request, res: Response) => {
    const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = reset ? (reset.getTime() - Date.now()) / 1000 : config.signInWindowSeconds;
    logger.warn({ login: loginOf(req), ip: req.ip }, "sign-in refused: too many failed attempts");
    res
      .status(429)
      .set("retry-after", String(Math.ceil(seconds)))
      .type("html")
      .send(
        signInPage({
          ...paths(String(req.params.uid)),
          login: loginOf(req),
          error: tooManyAttempts(seconds),
        }),
      );
  };
  // only failures count (a refused sign-in answers 401): per login and address, and per address
  const failures = (limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs: window,
      limit,
      skipSuccessfulRequests: true,
      standardHeaders: false,
      legacyHeaders: false,
      keyGenerator: key,
      handler: limited,
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");

  app.post(
    "/interaction/:uid/login",
    noCache,
    express.urlencoded({ extended: false, limit: "8kb" }),
    failures(config.signInAttemptsPerAddress, address),
    failures(config.signInAttempts, (req) => `${address(req)}|${loginOf(req)}`),
    async (req, res, next) => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name !== "login") {
          res.redirect(303, `/interaction/${encodeURIComponent(details.uid)}`);
          return;
        }
        const login = loginOf(req);
        const password = typeof req.body?.password === "string" ? req.body.password : "";
        const account = login && password ? await accounts.signIn(login, password) : null;
        if (!account) {
          logger.info({ login, ip: req.ip }, "sign-in refused: wrong login or password");
          res
            .status(401)
            .type("html")
            .send(signInPage({ ...paths(details.uid), login, error: WRONG_CREDENTIALS }));
          return;
        }
        logger.info({ login: account.login, agency: account.agency }, "signed in");
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: account.login } },
          { mergeWithLastSubmission: false },
        );
      } catch (error) {
        next(error);
      }
    },
  );

  app.get("/interaction/:uid/abort", noCache, async (req, res, next) => {
    try {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "the person cancelled signing in" },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      next(error);
    }
  });

  app.use("/interaction", (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof errors.SessionNotFound) {
      res.status(400).type("html").send(errorPage("Phiên đăng nhập đã hết hạn"));
      return;
    }
    logger.error({ err: error }, "sign-in failed");
    res.status(500).type("html").send(errorPage("Lỗi máy chủ đăng nhập"));
  });

  // discovery, JWKS, authorization, token, end of session...
  app.use(provider.callback());
  return { app, provider, accounts };
}

/** The login a sign-in form names, as accounts are kept (lower case, trimmed). */
function loginOf(req: Request): string {
  const login: unknown = req.body?.login;
  return typeof login === "string" ? login.trim().toLowerCase().slice(0, 64) : "";
}
