// The dashboard's page as the gateway serves it (the web build the test set-up makes): told whether
// anonymous callers may read, when people sign in the OpenID provider and the pages' client, and
// whether a developer may paste a token; its Content-Security-Policy lets it run only its own scripts
// and talk only to the gateway and that provider.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it } from "vitest";
import { webRouter, type PageSignIn } from "../src/web-app/serve.js";

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve(options: {
  anonymousRead: boolean;
  signIn?: PageSignIn;
  tokenPaste?: boolean;
}) {
  const app = express().use(webRouter(options));
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}/bao-cao/DOH`, { headers: { accept: "text/html" } });
}

const page = async (options: Parameters<typeof serve>[0]) => (await serve(options)).text();

it("tells the page where people sign in: the provider's issuer and the pages' client", async () => {
  const html = await page({
    anonymousRead: false,
    signIn: { issuer: "http://127.0.0.1:4001", clientId: "p06-dashboard" },
  });
  expect(html).toContain('<meta name="p06-anonymous-read" content="0" />');
  expect(html).toContain('<meta name="p06-oidc-issuer" content="http://127.0.0.1:4001" />');
  expect(html).toContain('<meta name="p06-oidc-client-id" content="p06-dashboard" />');
});

it("names no provider when the gateway has none (a key file), and says anonymous reads are on", async () => {
  const html = await page({ anonymousRead: true });
  expect(html).toContain('<meta name="p06-anonymous-read" content="1" />');
  expect(html).not.toContain("p06-oidc-");
});

it("offers to paste a token only where a developer switched it on", async () => {
  expect(await page({ anonymousRead: false, tokenPaste: true })).toContain(
    '<meta name="p06-token-paste" content="1" />',
  );
  expect(await page({ anonymousRead: false })).not.toContain("p06-token-paste");
});

it("sends a Content-Security-Policy: its own scripts, the gateway and the provider, no frame", async () => {
  const response = await serve({
    anonymousRead: false,
    signIn: { issuer: "https://sso.example/realms/haiphong", clientId: "p06-dashboard" },
  });
  const policy = Object.fromEntries(
    response.headers
      .get("content-security-policy")!
      .split(";")
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values.join(" ")]),
  );
  expect(policy).toEqual({
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self' https://sso.example",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
  });
  // and the page has no inline script for it to allow
  expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  const alone = await serve({ anonymousRead: true });
  expect(alone.headers.get("content-security-policy")).toContain("connect-src 'self';");
});
