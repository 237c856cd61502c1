// The IOC's dashboard (gateway/web, built by `npm run build:web` into gateway/web/dist): its files
// from the project's own build (nothing from a CDN), gzipped, hashed assets kept for a year, and the
// page for every address of the application, telling it whether anonymous callers may read and, when
// people sign in, with which OpenID provider and client (p06-oidc-issuer, p06-oidc-client-id), and
// whether a developer may paste a token (p06-token-paste). The page's Content-Security-Policy lets it
// run only the build's own scripts and talk only to the gateway and that provider.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import compression from "compression";
import express, { type Router } from "express";

export const defaultWebDist = new URL("../../web/dist/", import.meta.url);

/** Paths the gateway serves itself: never the application's page. */
const GATEWAY_PATHS = /^\/(graphql|playground|healthz|readyz|metrics)(\/|$)/;

/** Where the pages sign people in: the OpenID provider's issuer and the pages' client. */
export interface PageSignIn {
  issuer: string;
  clientId: string;
}

/**
 * What the page may load and talk to: its own scripts (no inline script), the gateway, and the OpenID
 * provider's origin (discovery, token renewal, no frame: the session renews with a refresh token).
 */
export function pageSecurityPolicy(signIn?: PageSignIn): string {
  const provider = signIn ? ` ${new URL(signIn.issuer).origin}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    // ECharts draws its SVG charts and tooltips with style attributes
    "style-src 'self' 'unsafe-inline'",
    // the page's empty icon is a data: URL
    "img-src 'self' data:",
    `connect-src 'self'${provider}`,
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const escapeAttribute = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function webRouter(options: {
  anonymousRead: boolean;
  signIn?: PageSignIn;
  /** A developer's switch (DASHBOARD_TOKEN_PASTE): the page offers to paste a token. */
  tokenPaste?: boolean;
  dist?: URL;
}): Router {
  const router = express.Router();
  const dist = fileURLToPath(options.dist ?? defaultWebDist);
  const indexFile = `${dist}/index.html`;
  if (!existsSync(indexFile)) {
    router.get("/", (_req, res) => {
      res
        .status(503)
        .type("text")
        .send("The web application is not built: run `npm run build:web` (npm start builds it).");
    });
    return router;
  }
  const signIn = options.signIn
    ? `<meta name="p06-oidc-issuer" content="${escapeAttribute(options.signIn.issuer)}" /><meta name="p06-oidc-client-id" content="${escapeAttribute(options.signIn.clientId)}" />`
    : "";
  const paste = options.tokenPaste ? `<meta name="p06-token-paste" content="1" />` : "";
  const page = readFileSync(indexFile, "utf8").replace(
    /<meta name="p06-anonymous-read" content="[01]"( \/)?>/,
    `<meta name="p06-anonymous-read" content="${options.anonymousRead ? "1" : "0"}" />${signIn}${paste}`,
  );
  const policy = pageSecurityPolicy(options.signIn);
  router.use(
    "/assets",
    compression(),
    express.static(`${dist}/assets`, { immutable: true, maxAge: "365d", fallthrough: false }),
  );
  router.get(/.*/, (req, res, next) => {
    if (GATEWAY_PATHS.test(req.path) || !req.accepts("html")) return next();
    // the page changes with each build: always revalidated
    res.setHeader("cache-control", "no-cache");
    res.setHeader("content-security-policy", policy);
    res.setHeader("x-content-type-options", "nosniff");
    res.type("html").send(page);
  });
  return router;
}
