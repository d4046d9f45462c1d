import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { generateCorpus } from "./classification-corpus";
import { round } from "./load";

type Api = (method: string, url: string, body?: unknown) => Promise<unknown>;

/** The resident set of a process now (MiB), read from /proc. */
export function rssMiB(pid: number) {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Math.round(Number(line.replace(/\D+/g, "")) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Samples a process's RSS every 200 ms until stopped; answers the peak. */
export function watchRss(pid: number) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 200);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMiB(pid));
  };
}

/**
 * Last year's ticket log as a real workbook (streamed by exceljs's writer): Chinese headers, texts
 * that vary like real requests (the classification corpus), 3,000 customers, statuses and priorities
 * in their own words, times over a year.
 */
export async function writeTicketLog(file: string, rows: number, idPrefix = "ZD") {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = book.addWorksheet("工单台账");
  sheet
    .addRow(["工单编号", "主题", "问题描述", "状态", "优先级", "客户", "客户邮箱", "联系电话", "创建时间", "解决时间", "处理结果", "标签"])
    .commit();
  const corpus = generateCorpus(5000, 7);
  const start = Date.UTC(2025, 0, 1);
  const stamp = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
  for (let i = 0; i < rows; i++) {
    const c = corpus[i % corpus.length];
    const created = start + Math.floor((i / rows) * 360 * 86_400_000) + (i % 13) * 60_000;
    sheet
      .addRow([
        `${idPrefix}-${100000 + i}`,
        `${c.label}：${c.text.slice(0, 24)}`,
        c.text,
        ["已解决", "已关闭", "已关闭", "处理中"][i % 4],
        ["普通", "普通", "紧急", "低"][i % 4],
        `客户${i % 3000}`,
        `c${i % 3000}@bench-import.test`,
        `138${String(10_000_000 + (i % 3000)).slice(0, 8)}`,
        stamp(created),
        i % 4 === 3 ? "" : stamp(created + ((i % 40) + 1) * 3_600_000),
        i % 4 === 3 ? "" : "已按流程处理完毕，客户确认。",
        i % 10 === 0 ? "VIP,回访" : "",
      ])
      .commit();
  }
  sheet.commit();
  await book.commit();
  return fs.statSync(file).size;
}

async function uploadImport(baseUrl: string, bearer: string, file: string) {
  const form = new FormData();
  form.append("entity", "tickets");
  form.append("file", new Blob([fs.readFileSync(file)]), path.basename(file));
  const res = await fetch(`${baseUrl}/api/v1/imports`, { method: "POST", body: form, headers: { authorization: `Bearer ${bearer}` } });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; columns: Record<string, string> };
}

/**
 * Issue 22: a 100,000-row Excel import through the API and its durable job (target ≥ 2,000 rows/s
 * on PostgreSQL, server RSS growth ≤ 300 MB), then `loopdesk export` of the workspace it made (time,
 * archive size, peak RSS of the command).
 */
export async function benchImport(
  server: { url: string; pid: number },
  api: Api,
  bearer: string,
  opts: { rows: number; dir: string; exportEnv?: Record<string, string>; serverDir: string },
) {
  const file = path.join(opts.dir, "去年工单台账.xlsx");
  let t = performance.now();
  const bytes = await writeTicketLog(file, opts.rows);
  const writeMs = performance.now() - t;
  // A first, small import loads what a process loads once (the Excel reader, the Chinese
  // dictionary for the search index): measured apart, so the growth below is the import's own.
  const rssCold = rssMiB(server.pid);
  const warm = path.join(opts.dir, "warm-up.xlsx");
  await writeTicketLog(warm, 50, "WARM");
  const warmJob = await uploadImport(server.url, bearer, warm);
  await api("PUT", `/api/v1/imports/${warmJob.id}/mapping`, { columns: warmJob.columns });
  await api("POST", `/api/v1/imports/${warmJob.id}/start`);
  for (;;) {
    const w = (await api("GET", `/api/v1/imports/${warmJob.id}`)) as { status: string };
    if (w.status === "done" || w.status === "failed") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const rssBefore = rssMiB(server.pid);
  const peak = watchRss(server.pid);
  t = performance.now();
  const job = await uploadImport(server.url, bearer, file);
  const uploadMs = performance.now() - t;
  const rssAfterUpload = rssMiB(server.pid);
  await api("PUT", `/api/v1/imports/${job.id}/mapping`, { columns: job.columns });
  t = performance.now();
  const checked = (await api("POST", `/api/v1/imports/${job.id}/dry-run`)) as { ok: number; problems: unknown[] };
  if (checked.ok !== opts.rows) console.log("problems", JSON.stringify(checked.problems.slice(0, 5)));
  const checkMs = performance.now() - t;
  const rssAfterCheck = rssMiB(server.pid);
  t = performance.now();
  await api("POST", `/api/v1/imports/${job.id}/start`);
  let done: { status: string; created: number; processedRows: number };
  for (;;) {
    done = (await api("GET", `/api/v1/imports/${job.id}`)) as typeof done;
    if (done.status === "done" || done.status === "failed") break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const importMs = performance.now() - t;
  const rssPeak = peak();
  if (done.status !== "done" || done.created !== opts.rows) throw new Error(`import ended ${done.status} with ${done.created} created`);

  let exportResult: Record<string, number> | undefined;
  if (opts.exportEnv) {
    const out = path.join(opts.dir, "export.tar.gz");
    t = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "export", "--out", out], {
      cwd: opts.serverDir,
      env: { ...process.env, LOG_LEVEL: "warn", ...opts.exportEnv },
      stdio: "ignore",
    });
    const exportPeak = watchRss(child.pid as number);
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
    if (code !== 0) throw new Error(`export exited ${code}`);
    exportResult = {
      seconds: round((performance.now() - t) / 1000),
      archiveMiB: round(fs.statSync(out).size / 1024 / 1024),
      peakRssMiB: exportPeak(),
    };
  }
  return {
    rows: opts.rows,
    fileMiB: round(bytes / 1024 / 1024),
    writeWorkbookSeconds: round(writeMs / 1000),
    uploadSeconds: round(uploadMs / 1000),
    checkSeconds: round(checkMs / 1000),
    checkedOk: checked.ok,
    importSeconds: round(importMs / 1000),
    rowsPerSecond: Math.round(opts.rows / (importMs / 1000)),
    serverRssColdMiB: rssCold,
    firstImportLoadsMiB: rssBefore - rssCold,
    serverRssBeforeMiB: rssBefore,
    serverRssAfterUploadMiB: rssAfterUpload,
    serverRssAfterCheckMiB: rssAfterCheck,
    serverRssPeakMiB: rssPeak,
    serverRssGrowthMiB: rssPeak - rssBefore,
    export: exportResult,
  };
}
