// The embedded provider's pages, in Vietnamese first: sign in, sign out, signed out, and an error.
// Plain HTML forms with one stylesheet served by the provider itself: no script, nothing from another
// host (the Content-Security-Policy in app.ts says so to the browser).

/** Text made safe to put in HTML, in an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export const STYLESHEET_PATH = "/static/sign-in.css";

export const STYLESHEET = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2733;background:#eef2f6}
main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{margin:0 0 .25rem;font-size:1.5rem}
.lead{margin:0 0 1.5rem;color:#4a5867}
.en{margin-top:1.5rem;font-size:.85rem;color:#6b7785}
label{display:block;margin:1rem 0 .25rem;font-weight:600}
input{width:100%;padding:.6rem;font:inherit;border:1px solid #9aa7b4;border-radius:4px}
input:focus{outline:2px solid #1b5fa8;outline-offset:1px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1b5fa8;border:0;border-radius:4px;cursor:pointer}
button.secondary{margin-top:.75rem;color:#1b5fa8;background:#fff;border:1px solid #1b5fa8}
.error{margin:1rem 0 0;padding:.75rem;color:#8a1c1c;background:#fdecec;border-left:4px solid #c62828}
a{color:#1b5fa8}
.cancel{display:block;margin-top:1rem;text-align:center}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPage {
  /** Where the form posts (the interaction's login route). */
  action: string;
  /** Where "Huỷ" leads (the interaction's abort route). */
  cancel: string;
  /** The login typed before, kept after a refusal. */
  login?: string;
  /** A refusal to show (Vietnamese). */
  error?: string;
}

export function signInPage({ action, cancel, login = "", error }: SignInPage): string {
  return layout(
    "Đăng nhập – Đề án 06 Hải Phòng",
    `<h1>Đăng nhập</h1>
<p class="lead">Hệ thống theo dõi Đề án 06 thành phố Hải Phòng</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}" autocomplete="on">
<label for="login">Tên đăng nhập</label>
<input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(login)}"${login ? "" : " autofocus"}>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${login ? " autofocus" : ""}>
<button type="submit">Đăng nhập</button>
</form>
<a class="cancel" href="${escapeHtml(cancel)}">Huỷ</a>
<p class="en" lang="en">Sign in to the Project 06 progress graph of Hai Phong.</p>`,
  );
}

/** The refusal of a wrong login or password: the same for both, so neither is revealed. */
export const WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng.";

/** The refusal once the failed attempts are used up. */
export function tooManyAttempts(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`;
}

/** "Sign out?", around the form oidc-provider builds (its hidden fields), posted by either button. */
export function signOutPage(form: string): string {
  return layout(
    "Đăng xuất – Đề án 06 Hải Phòng",
    `<h1>Đăng xuất?</h1>
<p class="lead">Bạn sẽ đăng xuất khỏi hệ thống theo dõi Đề án 06.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Đăng xuất</button>
<button type="submit" form="op.logoutForm" class="secondary">Ở lại</button>
<p class="en" lang="en">Sign out of the Project 06 progress graph?</p>`,
  );
}

export function signedOutPage(): string {
  return layout(
    "Đã đăng xuất – Đề án 06 Hải Phòng",
    `<h1>Bạn đã đăng xuất</h1>
<p class="lead">Phiên làm việc với hệ thống theo dõi Đề án 06 đã kết thúc.</p>
<p class="en" lang="en">You are signed out.</p>`,
  );
}

/** An error the provider shows instead of redirecting (a request it cannot trust, an expired step). */
export function errorPage(error: string, description?: string): string {
  return layout(
    "Lỗi đăng nhập – Đề án 06 Hải Phòng",
    `<h1>Không thể đăng nhập</h1>
<p class="lead">Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn. Hãy quay lại trang của hệ thống và đăng nhập lại.</p>
<p class="error" role="alert">${escapeHtml(error)}${description ? `: ${escapeHtml(description)}` : ""}</p>`,
  );
}
