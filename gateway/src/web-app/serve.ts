// The IOC's dashboard (gateway/web, built by `npm run build:web` into gateway/web/dist): its files
// from the project's own build (nothing from a CDN), gzipped, hashed assets kept for a year, and the
// page for every address of the application, telling it whether anonymous callers may read and, when
// people sign in, with which OpenID provider and client (p06-oidc-issuer, p06-oidc-client-id).
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

const escapeAttribute = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export function webRouter(options: {
  anonymousRead: boolean;
  signIn?: PageSignIn;
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
  const page = readFileSync(indexFile, "utf8").replace(
    /<meta name="p06-anonymous-read" content="[01]"( \/)?>/,
    `<meta name="p06-anonymous-read" content="${options.anonymousRead ? "1" : "0"}" />${signIn}`,
  );
  router.use(
    "/assets",
    compression(),
    express.static(`${dist}/assets`, { immutable: true, maxAge: "365d", fallthrough: false }),
  );
  router.get(/.*/, (req, res, next) => {
    if (GATEWAY_PATHS.test(req.path) || !req.accepts("html")) return next();
    // the page changes with each build: always revalidated
    res.setHeader("cache-control", "no-cache");
    res.type("html").send(page);
  });
  return router;
}
