import { CalendarsCard } from "./CalendarsCard";
import { OfficialCalendarCard } from "./OfficialCalendarCard";
import { PoliciesCard } from "./PoliciesCard";

/** Working calendars and SLA policies. */
export function SlaAdmin() {
  return (
    <>
      <CalendarsCard />
      <PoliciesCard />
      <OfficialCalendarCard />
    </>
  );
}
