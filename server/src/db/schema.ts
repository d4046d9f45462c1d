import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Timestamp, NullableTimestamp, Json } from "./column-types";
import type {
  AutomationRunsTable,
  AutomationsTable,
  TriggerFiringsTable,
  TriggersTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from "./schema-automations";
import type { BusinessCalendarsTable, OfficialCalendarDaysTable, SlaPoliciesTable, TicketSlaTable } from "./schema-sla";
import type { CsatSurveysTable, FollowUpVisitsTable } from "./schema-feedback";
import type { CannedRepliesTable, NotificationPreferencesTable, NotificationsTable, SavedViewsTable } from "./schema-workspace";
import type {
  AiCallsTable,
  AiSettingsTable,
  ClassifierModelsTable,
  KbArticleVersionsTable,
  KbArticlesTable,
  KbCategoriesTable,
  KbFeedbackTable,
  KbFilesTable,
  KbHelpVisitsTable,
  KbUsesTable,
  SearchSynonymsTable,
  TicketCategorySuggestionsTable,
} from "./schema-knowledge";
import type { AuditLogTable, AuditSettingsTable, PrivacyRequestsTable, RetentionRulesTable, SsoSettingsTable } from "./schema-security";
import type { ProcessDefinitionsTable, ProcessInstancesTable, ProcessTasksTable, ProcessVersionsTable } from "./schema-processes";
import type {
  ApiTokensTable,
  StaffRecoveryCodesTable,
  IdempotencyKeysTable,
  LoginCodesTable,
  LoginFailuresTable,
  SessionsTable,
  StaffInvitationsTable,
  StaffPasskeysTable,
} from "./schema-auth";
import type {
  AnalyticsAgentDailyTable,
  AnalyticsDailyTable,
  AnalyticsDailySlicesTable,
  AnalyticsDailyTotalsTable,
  AnalyticsDirtyTable,
  AnalyticsStageDailyTable,
  AnalyticsTicketFactsTable,
  ReportSchedulesTable,
} from "./schema-analytics";
import type {
  CallsTable,
  CrmLookupCacheTable,
  EmailThreadsTable,
  ImChannelsTable,
  ImMessagesTable,
  InboundEmailsTable,
  MailboxesTable,
  TicketAccessTokensTable,
} from "./schema-intake";
import type { DataTables, DomainEventsTable, JobsTable, RateLimitCountersTable } from "./schema-platform";
import type { AgentStatesTable, AssignmentLogTable, CategorySkillsTable, RoutingRulesTable } from "./schema-routing";
import type {
  CategoriesTable,
  DepartmentsTable,
  SkillsTable,
  StaffDepartmentsTable,
  StaffSkillsTable,
  StaffTable,
  TeamMembersTable,
  TeamsTable,
} from "./schema-directory";

/** Kysely table types; mirrors the SQL in migrations/. */
type JsonObject = Record<string, unknown>;

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  domain: string | null;
  custom_fields: Json<JsonObject>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomersTable {
  id: Generated<number>;
  name: string;
  tier: Generated<"normal" | "silver" | "gold" | "vip">;
  organization_id: number | null;
  is_org_contact: Generated<boolean>;
  password_hash: string | null;
  locale: Generated<string>;
  custom_fields: Json<JsonObject>;
  merged_into_id: number | null;
  /** When a personal-information erasure anonymized this customer (migration 0051). */
  erased_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomerIdentitiesTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  value: string;
  verified: Generated<boolean>;
  created_at: Timestamp;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<number>;
  entity: "ticket" | "customer" | "organization";
  key: string;
  label: string;
  type: "text" | "number" | "date" | "select" | "multi_select" | "checkbox";
  required: Generated<boolean>;
  pattern: string | null;
  options: Json<{ value: string; label: string }[]>;
  position: Generated<number>;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** Categories whose template includes this (ticket) field; empty: all tickets. */
  category_ids: ColumnType<number[], number[] | undefined, number[]>;
  help_text: string | null;
  /** Required only when another field has one of these values (any value when the list is empty). */
  required_when: Json<{ field: string; values: string[] } | null>;
}

export interface TicketsTable {
  id: Generated<number>;
  number: Generated<number>;
  subject: string;
  description: Generated<string>;
  description_html: string | null;
  status: Generated<string>;
  priority: Generated<string>;
  channel: Generated<string>;
  category_id: number | null;
  customer_id: number;
  organization_id: number | null;
  department_id: number | null;
  assignee_id: number | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  custom_fields: Json<JsonObject>;
  first_response_due_at: NullableTimestamp;
  next_response_due_at: NullableTimestamp;
  resolution_due_at: NullableTimestamp;
  sla_policy_id: number | null;
  /** The earliest due time of the ticket's running SLA clocks (also when already past). */
  sla_next_due_at: NullableTimestamp;
  urge_count: Generated<number>;
  first_response_at: NullableTimestamp;
  solved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  reopen_count: Generated<number>;
  follow_up_of_id: number | null;
  /** A repeat of this open ticket of the same customer (found at creation); not routed on its own. */
  duplicate_of_id: Generated<number | null>;
  /** Merged into this ticket (and closed). */
  merged_into_id: Generated<number | null>;
  /** Required template fields still missing: 信息不全 while not empty. */
  missing_fields: ColumnType<string[], string[] | undefined, string[]>;
  /** Whether every required field was there when the ticket was created (null: before templates). */
  complete_at_creation: Generated<boolean | null>;
  version: Generated<number>;
  /** Generated from priority (urgent 4 … low 1) so priority-ordered queues read an index. */
  priority_rank: ColumnType<number, never, never>;
  last_customer_message_at: NullableTimestamp;
  last_staff_reply_at: NullableTimestamp;
  /** When the ticket entered its current status. */
  status_changed_at: Timestamp;
  /** Routing (migration 0018): the team the ticket is routed to, its priority score and routing state. */
  team_id: number | null;
  priority_score: Generated<number>;
  priority_parts: ColumnType<Record<string, number>, string | undefined, string>;
  transfer_count: Generated<number>;
  routing_status: "queued" | "offered" | "assigned" | "manual" | null;
  routing_round: Generated<number>;
  offered_until: NullableTimestamp;
  routing_excluded: ColumnType<number[], number[] | undefined, number[]>;
  /** Staff who created or worked on the ticket: they keep reading it (and adding notes) wherever it goes (migration 0036). */
  participant_ids: ColumnType<number[], number[] | undefined, number[]>;
  step_department_ids: ColumnType<number[], number[] | undefined, number[]>;
  /** When a retention rule or an erasure removed the ticket's content (statistics stay). */
  purged_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketSearchTable {
  ticket_id: number;
  document: ColumnType<string, never, never>;
  /** Sorted 32-bit hashes of the text's features (text-similarity.ts), or null: then the text is compared. */
  features: Buffer | null;
  updated_at: Timestamp;
}

export interface TicketPresenceTable {
  ticket_id: number;
  staff_id: number;
  state: "viewing" | "typing";
  updated_at: Timestamp;
}

export interface TicketMessagesTable {
  id: Generated<number>;
  ticket_id: number;
  visibility: "public" | "internal";
  author_type: "staff" | "customer" | "system";
  author_staff_id: number | null;
  author_customer_id: number | null;
  body_text: string;
  body_html: string | null;
  channel: string;
  external_id: string | null;
  /** The author's name when they are not a person here (an agent of a helpdesk imported from). */
  author_name: Generated<string | null>;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: Generated<number>;
  sha256: string;
  size: number;
  content_type: string;
  filename: string;
  ticket_id: number | null;
  message_id: number | null;
  uploader_type: "staff" | "customer" | "system";
  uploader_id: number | null;
  created_at: Timestamp;
}

export type ActorType = "staff" | "customer" | "system";

/** A bulk change, undoable for a minute (migration 0041). */
export interface BulkChangesTable {
  id: string;
  staff_id: number;
  items: Json<{ ticketId: number; before: Record<string, unknown>; version: number }[]>;
  created_at: Generated<Date>;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  type: string;
  actor_type: ActorType;
  actor_id: number | null;
  field: string | null;
  before: Json | null;
  after: Json | null;
  data: Json | null;
  created_at: Timestamp;
}

/** Every table (data portability's — imports, exports — are listed in schema-platform.ts). */
export interface DB extends DataTables {
  settings: SettingsTable;
  organizations: OrganizationsTable;
  customers: CustomersTable;
  customer_identities: CustomerIdentitiesTable;
  departments: DepartmentsTable;
  staff: StaffTable;
  staff_departments: StaffDepartmentsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  skills: SkillsTable;
  staff_skills: StaffSkillsTable;
  categories: CategoriesTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  tickets: TicketsTable;
  ticket_search: TicketSearchTable;
  ticket_messages: TicketMessagesTable;
  ticket_presence: TicketPresenceTable;
  saved_views: SavedViewsTable;
  login_codes: LoginCodesTable;
  staff_invitations: StaffInvitationsTable;
  business_calendars: BusinessCalendarsTable;
  official_calendar_days: OfficialCalendarDaysTable;
  sla_policies: SlaPoliciesTable;
  ticket_sla: TicketSlaTable;
  triggers: TriggersTable;
  trigger_firings: TriggerFiringsTable;
  automations: AutomationsTable;
  automation_runs: AutomationRunsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  csat_surveys: CsatSurveysTable;
  follow_up_visits: FollowUpVisitsTable;
  process_definitions: ProcessDefinitionsTable;
  process_versions: ProcessVersionsTable;
  process_instances: ProcessInstancesTable;
  process_tasks: ProcessTasksTable;
  classifier_models: ClassifierModelsTable;
  ticket_category_suggestions: TicketCategorySuggestionsTable;
  kb_categories: KbCategoriesTable;
  kb_articles: KbArticlesTable;
  kb_article_versions: KbArticleVersionsTable;
  kb_files: KbFilesTable;
  kb_feedback: KbFeedbackTable;
  kb_uses: KbUsesTable;
  kb_help_visits: KbHelpVisitsTable;
  search_synonyms: SearchSynonymsTable;
  ai_settings: AiSettingsTable;
  ai_calls: AiCallsTable;
  audit_log: AuditLogTable;
  rate_limit_counters: RateLimitCountersTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_passkeys: StaffPasskeysTable;
  audit_settings: AuditSettingsTable;
  privacy_requests: PrivacyRequestsTable;
  retention_rules: RetentionRulesTable;
  sso_settings: SsoSettingsTable;
  canned_replies: CannedRepliesTable;
  attachments: AttachmentsTable;
  ticket_events: TicketEventsTable;
  bulk_changes: BulkChangesTable;
  analytics_dirty: AnalyticsDirtyTable;
  analytics_ticket_facts: AnalyticsTicketFactsTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_daily_totals: AnalyticsDailyTotalsTable;
  analytics_daily_slices: AnalyticsDailySlicesTable;
  analytics_agent_daily: AnalyticsAgentDailyTable;
  analytics_stage_daily: AnalyticsStageDailyTable;
  report_schedules: ReportSchedulesTable;
  agent_states: AgentStatesTable;
  category_skills: CategorySkillsTable;
  routing_rules: RoutingRulesTable;
  assignment_log: AssignmentLogTable;
  mailboxes: MailboxesTable;
  inbound_emails: InboundEmailsTable;
  email_threads: EmailThreadsTable;
  calls: CallsTable;
  ticket_access_tokens: TicketAccessTokensTable;
  im_channels: ImChannelsTable;
  im_messages: ImMessagesTable;
  crm_lookup_cache: CrmLookupCacheTable;
  domain_events: DomainEventsTable;
  jobs: JobsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type TicketRow = Selectable<TicketsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type StaffRow = Selectable<StaffTable>;
export type CustomerRow = Selectable<CustomersTable>;
