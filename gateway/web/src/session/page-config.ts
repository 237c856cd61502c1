// What the gateway says in the page it serves (gateway/src/web-app/serve.ts): whether callers without
// a token may read, the OpenID provider and client people sign in with, and whether a developer may
// paste a token instead.
const meta = (name: string) =>
  document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") ?? null;

export const pageConfig = {
  anonymousRead: meta("p06-anonymous-read") === "1",
  /** The provider's issuer and the pages' client there; null where the gateway names none. */
  provider: (() => {
    const issuer = meta("p06-oidc-issuer");
    const clientId = meta("p06-oidc-client-id");
    return issuer && clientId ? { issuer, clientId } : null;
  })(),
  tokenPaste: meta("p06-token-paste") === "1",
};
