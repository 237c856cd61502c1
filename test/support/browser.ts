// Headless Chromium for the browser tests (Debian's chromium, or CHROMIUM_PATH), started with nothing
// that phones home, and a record of every request a page makes to anywhere but this machine.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Collects the URLs of the page's requests to another host (data: and blob: URLs stay local). */
export function requestsElsewhere(page: Page): string[] {
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.hostname !== "127.0.0.1") elsewhere.push(request.url());
  });
  return elsewhere;
}

/**
 * Pages for a test file, each in its own context (Vietnamese, Hai Phong time, downloads allowed), all
 * watched: their console errors and their requests to another host are collected for the last check.
 */
export class WatchedPages {
  readonly consoleErrors: string[] = [];
  private readonly elsewhere: string[][] = [];
  private readonly contexts: BrowserContext[] = [];

  constructor(private readonly browser: Browser) {}

  async open(viewport = { width: 1920, height: 1080 }): Promise<Page> {
    const context = await this.browser.newContext({
      viewport,
      acceptDownloads: true,
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
    });
    this.contexts.push(context);
    const page = await context.newPage();
    this.elsewhere.push(requestsElsewhere(page));
    page.on("console", (message) => {
      if (message.type() === "error") this.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => this.consoleErrors.push(error.message));
    return page;
  }

  /** Every request any page made to another host. */
  requestsElsewhere(): string[] {
    return this.elsewhere.flat();
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close();
  }
}

/**
 * Signs in on the pages as a person does: "Đăng nhập" on a page of the application, the provider's
 * form, back to the pages (where they land is the test's to check).
 */
export async function signInAs(
  page: Page,
  url: string,
  login: string,
  password: string,
): Promise<void> {
  await page.goto(url);
  await page.getByTestId("header-sign-in").click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

/**
 * The developer's way in (the gateway started with DASHBOARD_TOKEN_PASTE=1): opens a page of the
 * application and pastes a token, for tests about what the pages show rather than how people sign in.
 */
export async function signInWith(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.locator("textarea#token").fill(token);
  await page.locator("form.sign-in button[type=submit]").click();
}
