// People sign in on the pages, in headless Chromium against the real stack with the embedded OpenID
// provider (no anonymous reading, access tokens of 10 seconds): an agency's data officer lands on
// their agency's month and the IOC's reviewer on the overview, the header naming them, their agency
// and role; the session renews across the token's expiry without the password, a figure typed
// before it saved after it; a session that cannot be renewed is said in Vietnamese, what was typed
// kept and sent once they signed in again; signing out ends the session at the provider, and signing
// in again asks for the password; a wrong password is refused in Vietnamese. No token in
// localStorage, no request but to the gateway and the provider, no console error. How long signing in
// takes, from the password sent to the landing page showing its data, is printed.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { launchChromium, WatchedPages } from "./support/browser.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const SCREENSHOTS = join(repoRoot, "test-results-web");
/** How long a page may take to show what a step leads to (vitest's default is a second). */
const SOON = { timeout: 10_000 };
/** The access tokens' lifetime here: short enough for the test to wait one out. */
const TOKEN_SECONDS = 10;

let system: RunningSystem;
let browser: Browser;
let pages: WatchedPages;
let doh: Page;
const origins = new Set<string>();
const consoleErrors: string[] = [];
const timings: string[] = [];

const base = () => system.gatewayUrl.replace(/\/graphql$/, "");
const provider = () => system.oidc!.issuer;
const state = (page: Page) =>
  page.locator('[data-testid="month-state"]').getAttribute("data-state");

/** The tokens the page keeps for its user (sessionStorage, as oidc-client-ts stores them). */
async function keptTokens(page: Page) {
  return page.evaluate(() => {
    const storage = (globalThis as unknown as { sessionStorage: Record<string, string> })
      .sessionStorage;
    const key = Object.keys(storage).find((k) => k.startsWith("oidc.user:"));
    return key
      ? (JSON.parse(storage[key]!) as {
          access_token: string;
          refresh_token: string;
          expires_at: number;
        })
      : null;
  });
}

/** Everything in the page's localStorage, keys and values. */
const localStorageText = (page: Page) =>
  page.evaluate(() =>
    JSON.stringify({
      ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage,
    }),
  );

async function openWatched(): Promise<Page> {
  const page = await pages.open();
  page.on("request", (request) => origins.add(new URL(request.url()).origin));
  // each console error with where it came from: the browser's line for a refused load names no URL
  page.on("console", (message) => {
    if (message.type() === "error")
      consoleErrors.push(`${message.location().url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  return page;
}

/** Sends the password on the provider's form; the time it was sent. */
async function submitPassword(page: Page, login: string, password = system.oidc!.password) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  const sent = performance.now();
  await page.locator('button[type="submit"]').click();
  return sent;
}

/** The communes of the form's rows (the city's own row, 31, left out). */
const communes = (page: Page) =>
  page
    .locator('[data-testid="entry-rows"] tbody tr[data-key]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-key")!).filter((k) => k !== "31"));

async function fillRow(page: Page, unit: string, numerator: string, denominator: string) {
  const row = page.locator(`[data-testid="entry-rows"] tr[data-key="${unit}"]`);
  await row.locator(`[name="${unit}.numerator"]`).fill(numerator);
  await row.locator(`[name="${unit}.denominator"]`).fill(denominator);
}

/** Waits until the access token the page holds now has expired. */
async function outliveToken(page: Page) {
  const { expires_at } = (await keptTokens(page))!;
  const wait = expires_at * 1000 - Date.now() + 500;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  system = await startSystem(
    "sign_in_pages",
    { GATEWAY_WORKERS: "1", OIDC_ACCESS_TOKEN_SECONDS: String(TOKEN_SECONDS) },
    { oidc: true },
  );
  browser = await launchChromium();
  pages = new WatchedPages(browser);
}, 180_000);

afterAll(async () => {
  console.log(`[sign-in timing] ${timings.join("; ")}`);
  await pages?.close();
  await browser?.close();
  await system?.stop();
});

describe("signing in on the pages", { timeout: 90_000 }, () => {
  it("an agency's data officer lands on their agency's month, the header naming them, their agency and role", async () => {
    doh = await openWatched();
    await doh.goto(`${base()}/`);
    // no anonymous reading: the page asks to sign in, and offers no token to paste
    await expect.poll(() => doh.getByTestId("sign-in-panel").isVisible(), SOON).toBe(true);
    expect(await doh.locator("textarea#token").count()).toBe(0);
    await doh.getByTestId("header-sign-in").click();
    await expect.poll(() => doh.url(), SOON).toMatch(new RegExp(`^${provider()}/interaction/`));
    expect(await doh.locator("h1").innerText()).toBe("Đăng nhập");
    const sent = await submitPassword(doh, "doh.canbo");
    await expect.poll(() => state(doh), { timeout: 15_000, interval: 20 }).toBe("DRAFT");
    const ms = performance.now() - sent;
    timings.push(`doh.canbo ${Math.round(ms)} ms to the DOH month page with its data`);
    expect(new URL(doh.url()).pathname).toBe("/bao-cao/DOH");
    expect(await doh.getByTestId("person-name").innerText()).toBe("Nguyễn Thị Lan");
    expect(await doh.getByTestId("person-agency").innerText()).toBe("Sở Y tế");
    expect(await doh.getByTestId("person-roles").innerText()).toBe("Cán bộ nhập liệu");
    await doh.screenshot({ path: join(SCREENSHOTS, "signed-in-agency.png") });
    // the tokens are in sessionStorage (this tab only), nothing of them in localStorage
    const tokens = (await keptTokens(doh))!;
    expect(tokens.access_token).toMatch(/^eyJ/);
    expect(tokens.refresh_token).toBeTruthy();
    const local = await localStorageText(doh);
    expect(local).not.toContain(tokens.access_token);
    expect(local).not.toContain(tokens.refresh_token);
    expect(local).not.toMatch(/eyJ|token/i);
  });

  it("the IOC's reviewer lands on the overview, the header naming them, in Vietnamese and English", async () => {
    const ioc = await openWatched();
    await ioc.goto(`${base()}/`);
    await ioc.getByTestId("header-sign-in").click();
    const sent = await submitPassword(ioc, "ioc.duyet");
    const row = ioc.locator('[data-testid="indicators"] tbody tr[data-key]');
    await expect.poll(() => row.count(), { timeout: 15_000, interval: 20 }).toBeGreaterThan(0);
    const ms = performance.now() - sent;
    timings.push(`ioc.duyet ${Math.round(ms)} ms to the overview with its indicators`);
    expect(new URL(ioc.url()).pathname).toBe("/");
    expect(await ioc.getByTestId("person-name").innerText()).toBe("Nguyễn Đức Thắng");
    expect(await ioc.getByTestId("person-agency").innerText()).toBe("Trung tâm IOC");
    expect(await ioc.getByTestId("person-roles").innerText()).toBe("Duyệt báo cáo");
    await ioc.getByTestId("language-switch").click();
    expect(await ioc.getByTestId("person-agency").innerText()).toBe("The IOC");
    expect(await ioc.getByTestId("person-roles").innerText()).toBe("Reviewer");
    expect(await ioc.getByTestId("sign-out").innerText()).toBe("Sign out");
    const tokens = (await keptTokens(ioc))!;
    expect(await localStorageText(ioc)).not.toContain(tokens.access_token);
  });

  it("renews the session across the token's expiry: a figure typed before is saved after, no password asked", async () => {
    await doh.locator('[data-testid="entry-indicator"]').selectOption("II.12");
    await expect
      .poll(() => doh.locator('[data-testid="entry-rows"]').getAttribute("data-indicator"), SOON)
      .toBe("II.12");
    const unit = (await communes(doh))[0]!;
    const before = (await keptTokens(doh))!;
    await fillRow(doh, unit, "80", "100");
    const atProvider: Request[] = [];
    const sentWith: string[] = [];
    const watch = (request: Request) => {
      if (request.url().startsWith(provider())) atProvider.push(request);
      if (request.url().endsWith("/graphql")) sentWith.push(request.headers().authorization ?? "");
    };
    doh.on("request", watch);
    await outliveToken(doh);
    expect(await doh.locator(`[name="${unit}.numerator"]`).inputValue()).toBe("80");
    await doh.getByTestId("save-figures").click();
    await expect
      .poll(() => doh.getByTestId("entry-message").innerText(), { timeout: 15_000 })
      .toBe("Đã lưu 1 số liệu (1 mới, 0 thay thế).");
    doh.off("request", watch);
    // renewed with the refresh token at the provider's token endpoint; no page of the provider opened
    expect(atProvider.map((r) => `${r.method()} ${new URL(r.url()).pathname}`)).toContain(
      "POST /token",
    );
    expect(atProvider.some((r) => r.postData()?.includes("grant_type=refresh_token"))).toBe(true);
    expect(atProvider.filter((r) => r.isNavigationRequest())).toEqual([]);
    expect(new URL(doh.url()).origin).toBe(base());
    const after = (await keptTokens(doh))!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(sentWith.at(-1)).toBe(`Bearer ${after.access_token}`);
    // stored as the person who typed it
    const { data } = await system.query<{
      indicator: { values: { numerator: number; person: { id: string } | null }[] };
    }>(
      `{ indicator(code: "II.12") { ... on HealthIndicator { values(unit: "${unit}") { numerator person { id } } } } }`,
    );
    expect(data?.indicator.values).toEqual([{ numerator: 80, person: { id: "doh.canbo" } }]);
  });

  it("says in Vietnamese when the session cannot be renewed, keeps what was typed, and sends it once they signed in again", async () => {
    const unit = (await communes(doh))[1]!;
    await fillRow(doh, unit, "60", "100");
    // (the page may find out on its own, polling near the token's expiry, before the save does)
    const errorsBefore = consoleErrors.length;
    // the sign-in's refresh token revoked at the provider (an administrator, another tab's reuse)
    const { refresh_token } = (await keptTokens(doh))!;
    const revoked = await fetch(`${provider()}/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refresh_token, client_id: "p06-dashboard" }),
    });
    expect(revoked.status).toBe(200);
    await outliveToken(doh);
    await doh.getByTestId("save-figures").click();
    await expect.poll(() => doh.getByTestId("session-lost").isVisible(), SOON).toBe(true);
    expect(await doh.getByTestId("session-lost").innerText()).toContain(
      "Phiên đăng nhập đã hết hạn và không tự gia hạn được. Những gì bạn đã nhập vẫn còn trên trang",
    );
    expect(await doh.getByTestId("entry-message").innerText()).toBe(
      "Không lưu: cần đăng nhập lại (những gì đã nhập vẫn được giữ trên trang)",
    );
    // the page and the figure typed stay
    expect(await doh.locator(`[name="${unit}.numerator"]`).inputValue()).toBe("60");
    expect(await state(doh)).toBe("DRAFT");
    await doh.screenshot({ path: join(SCREENSHOTS, "session-lost.png") });
    // the refused renewal is the browser's one console error here (a 400 from the token endpoint),
    // told to the test a moment after the page shows it
    const refusedRenewal = `${provider()}/token: Failed to load resource: the server responded with a status of 400 (Bad Request)`;
    await expect.poll(() => consoleErrors.slice(errorsBefore), SOON).toEqual([refusedRenewal]);
    consoleErrors.splice(errorsBefore);
    // signing in again, in a window of its own: the provider still knows them, no password asked
    const [popup] = await Promise.all([
      doh.waitForEvent("popup"),
      doh.getByTestId("sign-in-again").click(),
    ]);
    // (a round trip through the provider in a second window: slow on a busy machine)
    await popup.waitForEvent("close", { timeout: 30_000 });
    await expect.poll(() => doh.getByTestId("session-lost").count(), SOON).toBe(0);
    expect(await doh.locator(`[name="${unit}.numerator"]`).inputValue()).toBe("60");
    await doh.getByTestId("save-figures").click();
    await expect
      .poll(() => doh.getByTestId("entry-message").innerText(), { timeout: 15_000 })
      .toMatch(/^Đã lưu 1 số liệu/);
  });

  it("signs out at the provider, back to the start page; signing in again asks for the password", async () => {
    const { refresh_token } = (await keptTokens(doh))!;
    await doh.getByTestId("sign-out").click();
    await expect.poll(() => doh.url(), SOON).toMatch(new RegExp(`^${provider()}/session/end`));
    expect(await doh.locator("h1").innerText()).toBe("Đăng xuất?");
    await doh.locator('button[name="logout"][value="yes"]').click();
    await expect.poll(() => doh.url(), SOON).toBe(`${base()}/`);
    await expect.poll(() => doh.getByTestId("sign-in-panel").isVisible(), SOON).toBe(true);
    expect(await keptTokens(doh)).toBeNull();
    // the sign-in's refresh token ended with it at the provider
    const refreshed = await fetch(`${provider()}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token,
        client_id: "p06-dashboard",
      }),
    });
    expect(await refreshed.json()).toMatchObject({ error: "invalid_grant" });
    await doh.getByTestId("header-sign-in").click();
    await expect.poll(() => doh.locator('input[name="password"]').isVisible(), SOON).toBe(true);
  });

  it("refuses a wrong password in Vietnamese", async () => {
    await submitPassword(doh, "doh.canbo", "sai mật khẩu");
    await expect
      .poll(() => doh.locator('[role="alert"]').innerText(), SOON)
      .toBe("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(doh.url()).toMatch(new RegExp(`^${provider()}/interaction/`));
    // and the right one lets them in again
    await submitPassword(doh, "doh.canbo");
    await expect.poll(() => state(doh), { timeout: 15_000 }).toBe("DRAFT");
  });

  it("serves the pages with a Content-Security-Policy, and answers no page of another origin", async () => {
    const page = await fetch(`${base()}/`, { headers: { accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toContain(
      `connect-src 'self' ${provider()};`,
    );
    const refused = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://elsewhere.example" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(refused.status).toBe(403);
    // the gateway's other name on this machine is its own origin too (GATEWAY_ALLOWED_ORIGINS' default)
    const other = base().replace("127.0.0.1", "localhost");
    const allowed = await fetch(system.gatewayUrl, {
      method: "OPTIONS",
      headers: { origin: other, "access-control-request-method": "POST" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(other);
  });

  it("logs no console error and asks no host but the gateway and the provider", () => {
    // the one error is the browser's: the provider answers a wrong password's page with a 401
    expect(consoleErrors).toEqual([
      expect.stringMatching(
        new RegExp(`^${provider()}/interaction/[\\w-]+/login: Failed to load resource: .* 401`),
      ),
    ]);
    expect([...origins].sort()).toEqual([base(), provider()].sort());
  });
});
