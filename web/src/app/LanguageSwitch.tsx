import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { useSession } from "../features/auth/session";

export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const { setLanguage } = useSession();
  return (
    <Segmented
      data-testid="language-switch"
      size="small"
      value={i18n.language === "en" ? "en" : "zh-CN"}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en" },
      ]}
      onChange={(v) => void setLanguage(v as "zh-CN" | "en")}
    />
  );
}
