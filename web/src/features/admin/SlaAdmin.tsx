import { CalendarsCard } from "./CalendarsCard";
import { PoliciesCard } from "./PoliciesCard";

/** Working calendars and SLA policies. */
export function SlaAdmin() {
  return (
    <>
      <CalendarsCard />
      <PoliciesCard />
    </>
  );
}
