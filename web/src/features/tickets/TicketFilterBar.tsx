import type { Customer } from "@loopdesk/contracts/customers";
import { useQuery } from "@tanstack/react-query";
import { DatePicker, Input, Select, Space } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { useNamed, useStaff } from "./ticket-api";
import { priorities, statuses } from "./ticket-labels";
import type { ListFilters } from "./ticket-views";

const csv = (v?: string) => (v ? v.split(",") : []);

/** Every filter of the ticket list; each change replaces the filters (and the page restarts). */
export function TicketFilterBar({
  filters,
  onChange,
  isStaff,
}: {
  filters: ListFilters;
  onChange: (f: ListFilters) => void;
  isStaff: boolean;
}) {
  const { t } = useTranslation();
  const set = (key: keyof ListFilters, value: string | undefined) => onChange({ ...filters, [key]: value || undefined });
  const staff = useStaff(isStaff);
  const categories = useNamed("/categories", isStaff);
  const departments = useNamed("/departments", isStaff);
  const [customerSearch, setCustomerSearch] = useState("");
  const customers = useQuery({
    queryKey: ["customers", customerSearch],
    enabled: isStaff && customerSearch.trim().length > 0,
    queryFn: async () => (await api<{ items: Customer[] }>(`/customers?q=${encodeURIComponent(customerSearch.trim())}&limit=10`)).items,
  });
  const fixedAssignee = filters.assignee === "me" || filters.assignee === "none";
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="ticket-filters">
      <Select
        optionFilterProp="label"
        mode="multiple"
        style={{ minWidth: 220 }}
        aria-label={t("tickets.filterStatus")}
        placeholder={t("tickets.filterStatus")}
        value={csv(filters.status)}
        onChange={(v: string[]) => set("status", v.join(","))}
        options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <Select
        optionFilterProp="label"
        mode="multiple"
        allowClear
        aria-label={t("tickets.filterPriority")}
        placeholder={t("tickets.filterPriority")}
        style={{ minWidth: 130 }}
        value={csv(filters.priority)}
        onChange={(v: string[]) => set("priority", v.join(","))}
        options={priorities.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
      />
      {isStaff && (
        <>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("tickets.filterAssignee")}
            placeholder={t("tickets.filterAssignee")}
            style={{ minWidth: 130 }}
            value={fixedAssignee || !filters.assignee ? (fixedAssignee ? filters.assignee : undefined) : Number(filters.assignee)}
            onChange={(v?: number | string) => set("assignee", v === undefined ? undefined : String(v))}
            options={[
              { value: "me", label: t("tickets.assigneeMe") },
              { value: "none", label: t("tickets.assigneeNone") },
              ...(staff.data ?? []).map((s) => ({ value: s.id, label: s.name })),
            ]}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("tickets.filterDepartment")}
            placeholder={t("tickets.filterDepartment")}
            style={{ minWidth: 130 }}
            value={filters.department === "mine" ? "mine" : filters.department ? Number(filters.department) : undefined}
            onChange={(v?: number | string) => set("department", v === undefined ? undefined : String(v))}
            options={[
              { value: "mine", label: t("tickets.departmentMine") },
              ...(departments.data ?? []).map((d) => ({ value: d.id, label: d.name })),
            ]}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t("tickets.filterCategory")}
            placeholder={t("tickets.filterCategory")}
            style={{ minWidth: 130 }}
            value={filters.category ? Number(filters.category) : undefined}
            onChange={(v?: number) => set("category", v === undefined ? undefined : String(v))}
            options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Select
            allowClear
            showSearch
            filterOption={false}
            aria-label={t("tickets.filterCustomer")}
            placeholder={t("tickets.filterCustomer")}
            style={{ minWidth: 150 }}
            value={filters.customer ? Number(filters.customer) : undefined}
            onSearch={setCustomerSearch}
            onChange={(v?: number) => set("customer", v === undefined ? undefined : String(v))}
            notFoundContent={null}
            options={[
              ...(customers.data ?? []).map((c) => ({ value: c.id, label: `${c.name} ${c.identities[0]?.value ?? ""}` })),
              ...(filters.customer && !customers.data?.some((c) => String(c.id) === filters.customer)
                ? [{ value: Number(filters.customer), label: `#${filters.customer}` }]
                : []),
            ]}
          />
          <Input
            allowClear
            aria-label={t("tickets.filterTag")}
            placeholder={t("tickets.filterTag")}
            style={{ width: 120 }}
            defaultValue={filters.tag}
            key={`tag-${filters.tag ?? ""}`}
            onPressEnter={(e) => set("tag", (e.target as HTMLInputElement).value.trim())}
            onBlur={(e) => e.target.value.trim() !== (filters.tag ?? "") && set("tag", e.target.value.trim())}
          />
          <DatePicker.RangePicker
            aria-label={t("tickets.filterCreated")}
            placeholder={[t("tickets.createdFrom"), t("tickets.createdTo")]}
            value={[
              filters.createdFrom ? dayjs(filters.createdFrom) : null,
              filters.createdTo ? dayjs(filters.createdTo).subtract(1, "day") : null,
            ]}
            allowEmpty={[true, true]}
            onChange={(range) =>
              onChange({
                ...filters,
                // Whole days in the user's time zone: from the first day's start to the day after the last.
                createdFrom: range?.[0] ? range[0].startOf("day").toISOString() : undefined,
                createdTo: range?.[1] ? range[1].startOf("day").add(1, "day").toISOString() : undefined,
              })
            }
          />
        </>
      )}
      <Input.Search
        allowClear
        placeholder={t("tickets.search")}
        defaultValue={filters.q}
        key={`q-${filters.q ?? ""}`}
        onSearch={(v) => set("q", v.trim())}
        style={{ width: 220 }}
      />
    </Space>
  );
}
