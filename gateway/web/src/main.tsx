// The IOC's dashboard: mounted into the page the gateway serves at /, once the session this tab kept
// is read. In the window where a person signed in again (/dang-nhap/gia-han), only that sign-in is
// finished: the page that opened the window takes it over and closes it.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { I18nProvider } from "./i18n.js";
import { SIGN_IN_AGAIN_PATH } from "./session/oidc.js";
import { completeSignInAgain, loadSession } from "./session/session.js";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
if (window.location.pathname === SIGN_IN_AGAIN_PATH) {
  root.render(<p className="loading">Đang hoàn tất đăng nhập…</p>);
  await completeSignInAgain().catch(() =>
    // opened by no page of the dashboard (or that page is gone): nothing to hand the sign-in to
    root.render(<p className="failure">Không hoàn tất được đăng nhập: hãy đóng cửa sổ này.</p>),
  );
} else {
  await loadSession();
  root.render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  );
}
