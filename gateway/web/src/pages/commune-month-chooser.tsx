// Báo cáo tháng của xã (/bao-cao-xa): the IOC and the agencies open any commune's month by its code; a
// commune's own person goes straight to their commune's.
import { useEffect, useState } from "react";
import { useLocation } from "wouter";
import { useI18n } from "../i18n.js";
import { useReviewParams } from "../review-params.js";
import { communeMonthPath } from "../session/person.js";
import { session } from "../session/session.js";

export default function CommuneMonthChooser() {
  const { t } = useI18n();
  const params = useReviewParams();
  const [, navigate] = useLocation();
  const [code, setCode] = useState("");
  const own = session.commune();
  useEffect(() => {
    if (own) navigate(params.href(communeMonthPath(own)), { replace: true });
  }, [own]);
  return (
    <div className="page">
      <h1>{t("cmChooseTitle")}</h1>
      <p>{t("cmChooseExplain")}</p>
      <form
        className="commune-chooser"
        onSubmit={(event) => {
          event.preventDefault();
          if (code.trim()) navigate(params.href(communeMonthPath(code.trim())));
        }}
      >
        <label htmlFor="commune-code">
          <span>{t("cmCodeLabel")}</span>
          <input
            id="commune-code"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            data-testid="commune-code"
          />
        </label>
        <button type="submit" className="primary">
          {t("cmOpen")}
        </button>
      </form>
    </div>
  );
}
