import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "../locales/en.json";
import zhCN from "../locales/zh-CN.json";
import { readStored } from "./browser-storage";

export const LANGUAGE_KEY = "loopdesk.language";
export type Language = "zh-CN" | "en";

const saved = typeof window !== "undefined" ? readStored("local", LANGUAGE_KEY) : null;

i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
  lng: saved === "en" ? "en" : "zh-CN",
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
});

// Date pickers (dayjs) follow the interface language: 一月…, 周一… in Chinese.
const syncDates = (lng: string) => dayjs.locale(lng === "en" ? "en" : "zh-cn");
syncDates(i18n.language);
i18n.on("languageChanged", syncDates);

export default i18n;
