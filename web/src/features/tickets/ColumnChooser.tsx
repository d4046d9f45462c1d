import { SettingOutlined } from "@ant-design/icons";
import { type TicketColumn, ticketColumns } from "@loopdesk/contracts/staff";
import { Button, Checkbox, Popover, Space } from "antd";
import { useTranslation } from "react-i18next";

/** Which columns the queue shows (at least the subject); saved with the person's preferences. */
export function ColumnChooser({ value, onChange }: { value: TicketColumn[]; onChange: (columns: TicketColumn[]) => void }) {
  const { t } = useTranslation();
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t("tickets.columns")}
      content={
        <Checkbox.Group
          value={value}
          onChange={(v) => onChange(ticketColumns.filter((c) => (v as TicketColumn[]).includes(c) || c === "subject"))}
          data-testid="column-chooser"
        >
          <Space direction="vertical">
            {ticketColumns.map((c) => (
              <Checkbox key={c} value={c} disabled={c === "subject"}>
                {t(`tickets.column.${c}`)}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      }
    >
      <Button icon={<SettingOutlined />} data-testid="columns">
        {t("tickets.columns")}
      </Button>
    </Popover>
  );
}
