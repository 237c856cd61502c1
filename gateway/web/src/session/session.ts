// The session of this page: who is signed in and the access token the pages send for them. People
// sign in at the OpenID provider (oidc.ts); the access token is renewed with the refresh token when a
// request finds it about to expire, so work goes on without a word. When it cannot be renewed (the
// sign-in ended at the provider, or was revoked), the session is "lost": the page says so and keeps
// everything it shows and everything typed, and the person signs in again in a window of its own. A
// developer may paste a token instead, where the gateway allows it (DASHBOARD_TOKEN_PASTE).
import { useSyncExternalStore } from "react";
import type { User, UserManager } from "oidc-client-ts";
import { createUserManager } from "./oidc.js";
import { pageConfig } from "./page-config.js";
import { COMMUNE, landingPath, personOf, type Person } from "./person.js";

/** A token this close to its expiry is renewed before it is sent (seconds). */
const RENEW_MARGIN_SECONDS = 5;
const PASTED_TOKEN_KEY = "p06.token";

export interface SessionState {
  person: Person | null;
  /** The session could not be renewed: what is shown stays, sending waits for signing in again. */
  lost: boolean;
  /** Going to the provider failed (unreachable, say): what the page says. */
  failure: unknown;
}

const manager: UserManager | null = pageConfig.provider
  ? createUserManager(pageConfig.provider)
  : null;
let user: User | null = null;
let pasted: string | null = null;
let state: SessionState = { person: null, lost: false, failure: null };
let renewing: Promise<string | null> | null = null;
const listeners = new Set<() => void>();

function update(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

const claimsOf = (token: string): Record<string, unknown> => {
  try {
    return JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    return {};
  }
};

const signedIn = (next: User) => {
  user = next;
  update({ person: personOf(next.profile), lost: false });
};

/** Reads the session this tab kept (sessionStorage), before the pages first render. */
export async function loadSession(): Promise<void> {
  if (pageConfig.tokenPaste) {
    pasted = sessionStorage.getItem(PASTED_TOKEN_KEY);
    if (pasted) return update({ person: personOf(claimsOf(pasted)) });
  }
  const kept = await manager?.getUser();
  if (kept) signedIn(kept);
}

/** The access token renewed with the refresh token (one renewal at a time); null: it could not be. */
function renew(): Promise<string | null> {
  renewing ??= manager!
    .signinSilent()
    .then(
      (next) => {
        if (!next) throw new Error("no session");
        signedIn(next);
        return next.access_token;
      },
      () => {
        update({ lost: true });
        return null;
      },
    )
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

export const session = {
  state: (): SessionState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  anonymousRead: () => pageConfig.anonymousRead,
  /** People can sign in here: the gateway names a provider. */
  canSignIn: () => manager !== null,
  /** A developer may paste a token here. */
  canPaste: () => pageConfig.tokenPaste,
  /** The agency the person acts for (null for the IOC, a commune's person or no one). */
  agency(): string | null {
    const agency = state.person?.agency;
    return agency && agency !== "IOC" && agency !== COMMUNE ? agency : null;
  },
  /** The commune the person acts for (null for anybody but a commune's person). */
  commune: (): string | null => state.person?.commune ?? null,
  isIoc: () => state.person?.agency === "IOC",

  /** The token to send now, renewed first if it is about to expire; null: none (or the session is lost). */
  async accessToken(): Promise<string | null> {
    if (pasted) return pasted;
    if (!user || state.lost) return null;
    if ((user.expires_in ?? Infinity) > RENEW_MARGIN_SECONDS) return user.access_token;
    return renew();
  },

  /** The gateway refused `token`: a renewed one to ask again with, or null (none to be had). */
  async refused(token: string): Promise<string | null> {
    if (token === pasted) {
      session.paste(null);
      return null;
    }
    if (!user || token !== user.access_token) return session.accessToken();
    return renew();
  },

  /** To the provider to sign in, then back to `returnTo` (or, from the start page, their landing page). */
  async signIn(returnTo: string): Promise<void> {
    update({ failure: null });
    await manager?.signinRedirect({ state: { returnTo } }).catch((failure) => update({ failure }));
  },

  /** The provider sent the person back (/dang-nhap): the code exchanged; where they land. */
  completeSignIn: (() => {
    // once: the code can be exchanged only once, however often the page asks
    let completing: Promise<string> | null = null;
    return () =>
      (completing ??= manager!.signinRedirectCallback().then((next) => {
        signedIn(next);
        const returnTo = (next.state as { returnTo?: unknown } | undefined)?.returnTo;
        // a path of this application, and not this one again
        const path =
          typeof returnTo === "string" && /^\/(?!\/|dang-nhap)/.test(returnTo) ? returnTo : "/";
        return landingPath(state.person, path);
      }));
  })(),

  /** Signs in again in a window of its own, this page and what was typed left as they are. */
  async signInAgain(): Promise<void> {
    signedIn(await manager!.signinPopup());
  },

  /** Ends the session here and at the provider, back to the start page. */
  async signOut(): Promise<void> {
    if (pasted || !manager) {
      session.paste(null);
      window.location.assign("/");
      return;
    }
    user = null;
    // the provider's end of session revokes the sign-in's refresh token when the person confirms
    await manager.signoutRedirect().catch(async () => {
      // the provider unreachable: signed out here at least
      await manager.removeUser();
      window.location.assign("/");
    });
  },

  /** A developer's pasted token (null forgets it); kept for this tab only. */
  paste(token: string | null): void {
    pasted = token;
    if (token) sessionStorage.setItem(PASTED_TOKEN_KEY, token);
    else sessionStorage.removeItem(PASTED_TOKEN_KEY);
    update({ person: token ? personOf(claimsOf(token)) : null, lost: false });
  },
};

/** The session as a component sees it, rendering again when it changes. */
export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.state);
}

/** Finishes a sign-in in its own window (/dang-nhap/gia-han): the page that opened it takes over. */
export async function completeSignInAgain(): Promise<void> {
  await manager?.signinPopupCallback();
}
