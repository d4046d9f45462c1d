import type { OverviewReport } from "@loopdesk/contracts/analytics";
import type { Mail } from "../../platform/mail/mailer";
import { escapeHtml } from "../../platform/text/sanitize-html";

type Lang = "zh-CN" | "en";
const texts = {
  "zh-CN": {
    subject: (name: string, from: string, to: string) => `【报表】${name}：${from} 至 ${to}`,
    intro: (from: string, to: string, zone: string) => `统计区间：${from} 至 ${to}（${zone}）`,
    rows: {
      created: "新建工单",
      resolved: "已解决",
      backlog: "期末积压",
      frt: "首次响应中位数",
      resolution: "解决时长中位数",
      fcr: "一次解决率",
      reopen: "重开率",
      csat: "满意度（评价数）",
      slaFr: "首次响应达标率",
      slaRes: "解决达标率",
    },
    channels: "渠道分布",
    more: "查看完整报表",
    attachment: "附件为每日明细（CSV）。",
    units: { s: "秒", min: "分钟", h: "小时", d: "天" },
    none: "—",
    sep: "：",
  },
  en: {
    subject: (name: string, from: string, to: string) => `[Report] ${name}: ${from} to ${to}`,
    intro: (from: string, to: string, zone: string) => `Period: ${from} to ${to} (${zone})`,
    rows: {
      created: "Tickets created",
      resolved: "Solved",
      backlog: "Backlog at the end",
      frt: "Median first response",
      resolution: "Median resolution",
      fcr: "First-contact resolution",
      reopen: "Reopen rate",
      csat: "CSAT (ratings)",
      slaFr: "First response SLA met",
      slaRes: "Resolution SLA met",
    },
    channels: "By channel",
    more: "Open the full report",
    attachment: "The daily figures are attached (CSV).",
    units: { s: "s", min: "min", h: "h", d: "d" },
    none: "—",
    sep: ": ",
  },
} as const;

/** A scheduled report as a mail: the headline numbers as text and an HTML table, the daily table attached. */
export function reportMail(opts: {
  to: string;
  locale: string;
  name: string;
  report: OverviewReport;
  channelName: (c: string) => string;
  link: string;
  csv: string;
}): Mail {
  const l = texts[(opts.locale === "en" ? "en" : "zh-CN") as Lang];
  const r = opts.report;
  const k = r.totals;
  const pct = (v: number | null) => (v === null ? l.none : `${Math.round(v * 1000) / 10}%`);
  const dur = (s: number | null) => {
    if (s === null) return l.none;
    if (s < 60) return `${Math.round(s)} ${l.units.s}`;
    if (s < 3600) return `${Math.round(s / 60)} ${l.units.min}`;
    if (s < 86400) return `${Math.round(s / 360) / 10} ${l.units.h}`;
    return `${Math.round(s / 8640) / 10} ${l.units.d}`;
  };
  const rows: [string, string][] = [
    [l.rows.created, String(k.created)],
    [l.rows.resolved, String(k.resolved)],
    [l.rows.backlog, String(k.backlog)],
    [l.rows.frt, dur(k.firstResponse.calendar.median)],
    [l.rows.resolution, dur(k.resolution.calendar.median)],
    [l.rows.fcr, pct(k.firstContactResolution.rate)],
    [l.rows.reopen, pct(k.reopened.rate)],
    [l.rows.csat, k.csat.average === null ? l.none : `${Math.round(k.csat.average * 100) / 100} (${k.csat.count})`],
    [l.rows.slaFr, pct(k.sla.firstResponse.rate)],
    [l.rows.slaRes, pct(k.sla.resolution.rate)],
  ];
  const channels = r.byChannel.map((c) => [opts.channelName(c.channel), String(c.created)] as [string, string]);
  const intro = l.intro(r.from, r.to, r.timeZone);
  const text = [
    intro,
    "",
    ...rows.map(([a, b]) => `${a}${l.sep}${b}`),
    "",
    `${l.channels}${l.sep}${channels.map(([a, b]) => `${a} ${b}`).join(", ") || l.none}`,
    "",
    `${l.more}${l.sep}${opts.link}`,
    l.attachment,
  ].join("\n");
  const table = (list: [string, string][]) =>
    `<table cellpadding="6" style="border-collapse:collapse">${list
      .map(
        ([a, b]) =>
          `<tr><td style="border:1px solid #ddd">${escapeHtml(a)}</td><td style="border:1px solid #ddd;text-align:right">${escapeHtml(b)}</td></tr>`,
      )
      .join("")}</table>`;
  const html = `<p>${escapeHtml(intro)}</p>${table(rows)}<h4>${escapeHtml(l.channels)}</h4>${table(channels)}<p><a href="${escapeHtml(opts.link)}">${escapeHtml(l.more)}</a></p><p>${escapeHtml(l.attachment)}</p>`;
  return {
    to: opts.to,
    subject: l.subject(opts.name, r.from, r.to),
    text,
    html,
    attachments: [
      {
        filename: `report-${r.from}-${r.to}.csv`,
        contentType: "text/csv; charset=utf-8",
        base64: Buffer.from(opts.csv).toString("base64"),
      },
    ],
  };
}
