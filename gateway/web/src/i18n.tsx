// Everything people read, in Vietnamese first and in English through the switch; the choice is kept in
// the browser. Numbers and dates follow the language (vi-VN: 1.234,5 and 27/11/2026).
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { messages, type Language, type MessageKey } from "./messages.js";

export type { Language, MessageKey };

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** Picks the Vietnamese or the English of a pair the graph gives (titleVi / title). */
  pick(vietnamese: string, english: string): string;
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = "p06.language";

function storedLanguage(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(storedLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(
    () => ({
      language,
      locale: language === "vi" ? "vi-VN" : "en-GB",
      setLanguage(next) {
        try {
          localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // private mode: the choice lasts as long as the page
        }
        setLanguageState(next);
      },
      t(key, params) {
        let text = messages[language][key];
        for (const [name, value] of Object.entries(params ?? {})) {
          text = text.replaceAll(`{${name}}`, String(value));
        }
        return text;
      },
      pick: (vietnamese, english) => (language === "vi" ? vietnamese : english),
    }),
    [language],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside I18nProvider");
  return context;
}
