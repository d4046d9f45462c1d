import { CalendarsCard } from "./CalendarsCard";
import { OfficialCalendarCard } from "./OfficialCalendarCard";
import { PoliciesCard } from "./PoliciesCard";

/** Working calendars, the official holidays they follow, and SLA policies. */
export function SlaAdmin() {
  return (
    <>
      <CalendarsCard />
      <OfficialCalendarCard />
      <PoliciesCard />
    </>
  );
}
