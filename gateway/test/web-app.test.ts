// The dashboard's page as the gateway serves it (the web build the test set-up makes): told whether
// anonymous callers may read and, when people sign in, the OpenID provider and the pages' client.
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

async function page(options: { anonymousRead: boolean; signIn?: PageSignIn }) {
  const app = express().use(webRouter(options));
  server = createServer(app);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/bao-cao/DOH`, {
    headers: { accept: "text/html" },
  });
  return response.text();
}

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
