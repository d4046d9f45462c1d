import { afterAll, describe, expect, it } from "vitest";
import { crashStorage } from "../support/crash-storage";
import { httpClient, spawnServer } from "../support/spawn-server";

/**
 * An import survives kill -9: after the restart it resumes where its last committed batch ended,
 * and every row is there exactly once.
 */
const ADMIN = { LOOPDESK_ADMIN_EMAIL: "imports@crash.test", LOOPDESK_ADMIN_PASSWORD: "import-crash-pass" };
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const ROWS = 6000;

describe("import after a crash", () => {
  it("resumes after SIGKILL mid-import and creates every row exactly once", async () => {
    const store = await crashStorage("loopdesk-import-crash-", cleanups);
    let server = await spawnServer({ ...store.env, ...ADMIN });
    cleanups.push(() => server.stop("SIGKILL"));
    let api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    const lines = ["编号,主题,描述,状态,客户邮箱,创建时间"];
    for (let i = 0; i < ROWS; i++)
      lines.push(`R${i},设备故障 ${i},第 ${i} 台设备无法开机,已关闭,c${i % 300}@crash.test,2025-0${1 + (i % 9)}-1${i % 10} 10:00`);
    const boundary = "----crashimport";
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="entity"\r\n\r\ntickets\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="repairs.csv"\r\n\r\n`),
      Buffer.from(`${lines.join("\r\n")}\r\n`),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await api("/api/v1/imports", {
      method: "POST",
      body,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(uploaded.status).toBe(201);
    const job = (await uploaded.json()) as { id: number; columns: Record<string, string> };
    expect(job.columns).toMatchObject({ 编号: "externalId", 主题: "subject", 客户邮箱: "customerEmail" });
    await api(`/api/v1/imports/${job.id}/mapping`, { method: "PUT", body: JSON.stringify({ columns: job.columns }) });
    expect((await api(`/api/v1/imports/${job.id}/start`, { method: "POST", body: "{}" })).status).toBe(200);

    const progress = async () =>
      (await (await api(`/api/v1/imports/${job.id}`)).json()) as { status: string; processedRows: number; created: number };
    await expect.poll(async () => (await progress()).processedRows, { interval: 50 }).toBeGreaterThan(0);
    const before = await progress();
    expect(before.processedRows).toBeLessThan(ROWS);
    await server.stop("SIGKILL");

    server = await spawnServer({ ...store.env, ...ADMIN });
    api = await httpClient(server.url, ADMIN.LOOPDESK_ADMIN_EMAIL, ADMIN.LOOPDESK_ADMIN_PASSWORD);
    await expect.poll(async () => (await progress()).status, { timeout: 120_000 }).toBe("done");
    expect(await progress()).toMatchObject({ processedRows: ROWS, created: ROWS });
    await server.stop();
    const db = await store.open();
    const tickets = await db.db
      .selectFrom("tickets")
      .select((e) => [e.fn.countAll<number>().as("n"), e.fn.count<number>("subject").distinct().as("subjects")])
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(ROWS);
    expect(Number(tickets.subjects)).toBe(ROWS);
    const records = await db.db
      .selectFrom("import_records")
      .select((e) => e.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(records.n)).toBe(ROWS);
    await db.close();
  }, 180_000);
});
