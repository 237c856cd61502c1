// The pages' OpenID Connect client (oidc-client-ts): the authorization code with PKCE at the provider
// the gateway names, back to /dang-nhap; its tokens and its requests' state in sessionStorage only
// (gone with the tab, never in localStorage). It renews with the rotating refresh token, never in a
// frame (the page's Content-Security-Policy allows none); signing in again while working happens in
// a window of its own, back to /dang-nhap/gia-han, so the page and what was typed stay.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";

/** Where the provider sends a person back after signing in (the client's redirect URIs). */
export const SIGN_IN_PATH = "/dang-nhap";
/** Where signing in again in its own window comes back (then the window closes). */
export const SIGN_IN_AGAIN_PATH = "/dang-nhap/gia-han";

export function createUserManager(provider: { issuer: string; clientId: string }): UserManager {
  const origin = window.location.origin;
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  return new UserManager({
    authority: provider.issuer,
    client_id: provider.clientId,
    redirect_uri: `${origin}${SIGN_IN_PATH}`,
    popup_redirect_uri: `${origin}${SIGN_IN_AGAIN_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: "code",
    scope: "openid profile",
    userStore: store,
    stateStore: store,
    // renewed when a request needs it (session.ts): a timer would renew every second with short tokens
    automaticSilentRenew: false,
    // session monitoring and userinfo need a frame or another request: the ID token says who it is
    monitorSession: false,
    loadUserInfo: false,
    ui_locales: "vi",
  });
}
