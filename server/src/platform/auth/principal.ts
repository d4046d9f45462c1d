import type { StaffRole } from "@loopdesk/contracts/staff";

export type StaffPrincipal = {
  kind: "staff";
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  locale: "zh-CN" | "en";
  departmentIds: number[];
};

export type CustomerPrincipal = {
  kind: "customer";
  id: number;
  email: string | null;
  name: string;
  locale: "zh-CN" | "en";
  organizationId: number | null;
  isOrgContact: boolean;
};

export type Principal = StaffPrincipal | CustomerPrincipal;

export type Authentication = {
  principal: Principal;
  /** Cookie sessions need the CSRF header on writes; bearer tokens do not. */
  via: "session" | "token";
  sessionId?: string;
  csrfToken?: string;
  /** Signed in with a password where the role requires a second factor not yet set up: may only enrol. */
  needsTwoFactor?: boolean;
  /** What an API token may do (tokens only). */
  scopes?: readonly string[];
};

export const isStaff = (p: Principal | undefined): p is StaffPrincipal => p?.kind === "staff";
export const isCustomer = (p: Principal | undefined): p is CustomerPrincipal => p?.kind === "customer";
