import type { TFunction } from "i18next";

/** A form field's value in words (ticket fields and process-step fields alike): an option's label, a list of them, 是/否. */
export function fieldText(def: { type: string; options: { value: string; label: string }[] }, value: unknown, t: TFunction) {
  const option = (v: unknown) => def.options.find((o) => o.value === String(v))?.label ?? String(v);
  if (def.type === "checkbox") return value ? t("common.yes") : t("common.no");
  if (def.type === "select") return option(value);
  if (Array.isArray(value)) return value.map(option).join(t("common.listSep"));
  return String(value);
}
