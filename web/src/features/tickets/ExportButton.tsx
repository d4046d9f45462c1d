import { Button, Dropdown } from "antd";
import { useTranslation } from "react-i18next";
import { type ListFilters, toParams } from "./ticket-views";

/** Downloads the tickets the list shows (same filters and order) as CSV or Excel. */
export function ExportButton({ filters }: { filters: ListFilters }) {
  const { t } = useTranslation();
  const href = (format: "csv" | "xlsx") => {
    const params = toParams(filters);
    params.set("format", format);
    return `/api/v1/tickets/export?${params}`;
  };
  return (
    <Dropdown
      menu={{
        items: [
          { key: "csv", label: <a href={href("csv")}>{t("tickets.exportCsv")}</a> },
          { key: "xlsx", label: <a href={href("xlsx")}>{t("tickets.exportXlsx")}</a> },
        ],
      }}
    >
      <Button data-testid="export-tickets">{t("tickets.export")}</Button>
    </Dropdown>
  );
}
