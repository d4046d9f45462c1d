import type { ColumnType, Generated } from "kysely";
import type { Timestamp } from "./column-types";

/** Kysely table types of the directory: departments, staff, teams, skills, categories; part of `DB`. */

export interface DepartmentsTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  /** A ticket of this department is solved only after a public reply to the customer's last message. */
  solve_requires_reply: Generated<boolean>;
  created_at: Timestamp;
}

export interface StaffTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: "admin" | "supervisor" | "agent";
  /** null: invited, no password set yet. */
  password_hash: string | null;
  locale: Generated<string>;
  active: Generated<boolean>;
  /** The person's own workspace settings (migration 0039), e.g. the queue's columns. */
  preferences: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Two-factor sign-in (migration 0049): the authenticator's secret, sealed; one being enrolled. */
  totp_secret_sealed: string | null;
  totp_pending_sealed: string | null;
  totp_enabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Single sign-on (migration 0052): the directory the person comes from and their id there; may use a password when SSO is required. */
  sso_source: "oidc" | "ldap" | null;
  sso_subject: string | null;
  break_glass: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StaffDepartmentsTable {
  staff_id: number;
  department_id: number;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  department_id: number;
  strategy: Generated<"skill" | "load_aware" | "round_robin" | "least_loaded" | "claim" | "manual">;
  claim_timeout_minutes: Generated<number>;
  fallback_team_id: number | null;
  /** manual: members go online themselves; sign_in: on opening the app during their shift; shift: for their whole shift (migration 0037). */
  presence_mode: Generated<"manual" | "sign_in" | "shift">;
  created_at: Timestamp;
}

export interface TeamMembersTable {
  team_id: number;
  staff_id: number;
}

export interface SkillsTable {
  id: Generated<number>;
  name: string;
  created_at: Timestamp;
}

export interface StaffSkillsTable {
  staff_id: number;
  skill_id: number;
  level: number;
}

export interface CategoriesTable {
  id: Generated<number>;
  name: string;
  parent_id: number | null;
  department_id: number | null;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
}
