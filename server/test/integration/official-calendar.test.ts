import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addBusinessMinutes } from "../../src/modules/sla/business-calendar";
import { calendarsById } from "../../src/modules/sla/calendar-service";
import { chinaOfficialDays, packagedChinaDays } from "../../src/modules/sla/china-calendar";
import { checkOfficialCalendar } from "../../src/modules/sla/official-calendar-jobs";
import { officialCalendar } from "../../src/modules/sla/official-days";
import { type Client, PASSWORD, type TestApp, createTestApp } from "../support/test-app";

let t: TestApp;
let admin: Client;
let calendarId: number;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn((await t.factory.staff({ role: "admin", name: "管理员" })).email, PASSWORD);
  const day = [
    { start: "09:00", end: "12:00" },
    { start: "13:00", end: "18:00" },
  ];
  calendarId = (
    await admin.post("/api/v1/calendars", { name: "上海", weekly: [[], day, day, day, day, day, []], chinaOfficial: true })
  ).json().id;
});
afterAll(() => t.close());

/** The year after the last one the bundled holiday data knows (2027 with chinese-days 1.5.7). */
const next = () => Math.max(...packagedChinaDays().years) + 1;

const ICS = (year: number) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//test//holidays//CN",
    "BEGIN:VEVENT",
    "UID:ny@test",
    "DTSTAMP:20261201T000000Z",
    `DTSTART;VALUE=DATE:${year}0101`,
    `DTEND;VALUE=DATE:${year}0104`,
    "SUMMARY:元旦",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:sf@test",
    "DTSTAMP:20261201T000000Z",
    `DTSTART;VALUE=DATE:${year}0205`,
    `DTEND;VALUE=DATE:${year}0213`,
    "SUMMARY:春节",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:sfw@test",
    "DTSTAMP:20261201T000000Z",
    `DTSTART;VALUE=DATE:${year}0207`,
    `DTEND;VALUE=DATE:${year}0208`,
    "SUMMARY:春节补班",
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");

describe("next year's official calendar", () => {
  it("says which years are covered and, from December on, that next year is missing; the administrators hear of it once", async () => {
    const year = next();
    const december = new Date(`${year - 1}-12-05T10:00:00+08:00`);
    const november = new Date(`${year - 1}-11-05T10:00:00+08:00`);
    expect((await officialCalendar(t.ctx.db, "Asia/Shanghai", november)).missingYears).toEqual([]);
    const seen = await officialCalendar(t.ctx.db, "Asia/Shanghai", december);
    expect(seen.packageYears).toContain(year - 1);
    expect(seen.missingYears).toEqual([year]);
    expect(await checkOfficialCalendar(t.ctx, t.ctx.db, december)).toEqual([year]);
    await checkOfficialCalendar(t.ctx, t.ctx.db, december);
    const bell = (await admin.get("/api/v1/notifications")).json().items.filter((n: { type: string }) => n.type === "calendar_outdated");
    expect(bell).toHaveLength(1);
    expect(bell[0].data).toEqual({ year });
  });

  it("takes the days from an .ics file or by hand, and due times follow", async () => {
    const year = next();
    const due = async () => {
      const cal = (await calendarsById(t.ctx.db, [calendarId])).get(calendarId);
      // 2 working hours from the last afternoon of the old year.
      return addBusinessMinutes(cal as never, new Date(`${year - 1}-12-31T17:00:00+08:00`), 120).toISOString();
    };
    // Without next year's days, 元旦 counts as a working day.
    expect(await due()).toBe(new Date(`${year}-01-01T10:00:00+08:00`).toISOString());

    const imported = await admin.post("/api/v1/calendars/official/import", { ics: ICS(year) });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().imported).toBe(3 + 8);
    const days = imported.json().calendar.days as { date: string; kind: string; name: string }[];
    expect(days.find((d) => d.date === `${year}-01-02`)).toMatchObject({ kind: "holiday", name: "元旦" });
    expect(days.find((d) => d.date === `${year}-02-07`)).toMatchObject({ kind: "workday", name: "春节补班" });
    expect(imported.json().calendar.enteredYears).toEqual([year]);
    // 元旦 is off now: due on the next working day.
    expect(await due()).toBe(new Date(`${year}-01-04T10:00:00+08:00`).toISOString());

    // By hand: a day is changed and another removed; the calendar follows each time.
    const save = await admin.request("PUT", "/api/v1/calendars/official/days", {
      days: [{ date: `${year}-01-04`, kind: "holiday", name: "元旦调休" }],
    });
    expect(save.statusCode, save.body).toBe(200);
    expect(await due()).toBe(new Date(`${year}-01-05T10:00:00+08:00`).toISOString());
    expect((await admin.delete(`/api/v1/calendars/official/days/${year}-01-04`)).statusCode).toBe(204);
    expect(await due()).toBe(new Date(`${year}-01-04T10:00:00+08:00`).toISOString());
  });

  it("refuses what the bundled data already has and files that are not calendars, in the error shape", async () => {
    const known = Math.max(...packagedChinaDays().years);
    const res = await admin.request("PUT", "/api/v1/calendars/official/days", { days: [{ date: `${known}-10-01`, kind: "holiday" }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe("covered_by_package");
    const bad = await admin.post("/api/v1/calendars/official/import", { ics: "not a calendar" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].code).toBe("invalid_ics");
    const agent = await t.signIn((await t.factory.staff()).email, PASSWORD);
    expect((await agent.post("/api/v1/calendars/official/import", { ics: ICS(next()) })).statusCode).toBe(403);
  });

  it("a later package that knows the year takes over: entered days for it are ignored, never doubled", () => {
    const known = Math.max(...packagedChinaDays().years);
    // An entered day in a year the package knows (as after an update) changes nothing.
    const days = chinaOfficialDays([{ date: `${known}-03-03`, kind: "holiday" }]);
    expect(days.holidays.has(`${known}-03-03`)).toBe(false);
    const fresh = chinaOfficialDays([{ date: `${known + 1}-03-03`, kind: "holiday" }]);
    expect(fresh.holidays.has(`${known + 1}-03-03`)).toBe(true);
  });
});
