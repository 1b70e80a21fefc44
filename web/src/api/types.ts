// Payloads of the eGov box HTTP API (/api/v1), as the C++ server sends them.

export interface SessionInfo {
  csrf_token: string;
  must_change_password: boolean;
  must_enroll_totp: boolean;
}

export interface SignInRequest {
  code: string;
  password: string;
  totp?: string;
  recovery_code?: string;
}

export interface DepartmentRef {
  id: string;
  name: string;
}

export type Role = 'employee' | 'councillor' | 'clerk' | 'administrator' | 'security_officer';

// One's own entry (GET /me): the directory entry, then the account's roles
// and flags.
export interface Me extends Employee {
  // The server may add roles this build does not know yet.
  roles: string[];
  status: string;
  totp_enabled: boolean;
  must_change_password: boolean;
  must_enroll_totp: boolean;
}

export interface SessionItem {
  id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  client_address: string;
  current: boolean;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}

export interface RecoveryCodes {
  recovery_codes: string[];
}

// An entry of the directory of colleagues (GET /employees).
export interface Employee {
  id: string;
  code: string;
  name: string;
  email: string;
  department: DepartmentRef | null;
  position: string;
}

export interface Department {
  id: string;
  name: string;
  employee_count: number;
}

export interface ItemList<T> {
  items: T[];
}

export type PasswordViolation =
  | 'too-short'
  | 'too-long'
  | 'contains-code'
  | 'contains-name'
  | 'same-as-current'
  | 'too-common'
  | 'too-few-character-kinds';

// --- Meetings, rooms, calls, notifications (docs/meetings.md) ---------------

// Ids travel as JSON strings; compare them with sameId() in case a number
// slips through.
export type Id = string;

export function sameId(a: Id | number | null | undefined, b: Id | number | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && String(a) === String(b);
}

export type Presence = 'online' | 'in-meeting' | 'do-not-disturb' | 'offline';

export interface Person {
  id: Id;
  name: string;
}

export interface Room {
  id: Id;
  kind: 'personal' | 'hall';
  name: string;
  description: string;
  capacity: number | null;
  lobby: boolean;
  owner: Person | null;
}

export interface RoomList {
  personal: Room;
  halls: Room[];
}

export interface HallRequest {
  name: string;
  description?: string;
  capacity?: number | null;
  lobby?: boolean;
}

// One message of a meeting's chat (GET/POST /meetings/{id}/chat, and the
// live `meeting.chat` event). Kept with the meeting.
export interface ChatMessage {
  id: Id;
  meeting_id: Id;
  author_id: Id;
  author_name: string;
  text: string;
  sent_at: string;
}

// The answer of POST /rooms/{id}/join and POST /meetings/{id}/join.
export interface JoinTicket {
  meeting_id: Id;
  capability: string;
  expires_at: string;
}

export type KnockStatus = 'pending' | 'admitted' | 'declined' | 'withdrawn';

// GET /meetings/{id}/controls.
export interface MeetingControlsState {
  on: boolean;
  locked: boolean;
  ended: boolean;
  host: boolean;
  removed: Array<{ employee_id: Id; name: string; removed_at: string }>;
}

// Someone waiting in a meeting's lobby (a pending knock).
export interface LobbyEntry {
  knock_id: Id;
  employee: Person;
  since: string;
}

export interface Knock {
  id: Id;
  room_id: Id;
  status: KnockStatus;
  meeting_id: Id | null;
}

export type Weekday = 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
export const kWeekdays: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export type Frequency = 'daily' | 'weekly' | 'monthly';

export interface Recurrence {
  frequency: Frequency;
  interval: number;
  weekdays?: Weekday[];
  until: string | null; // YYYY-MM-DD
  count: number | null;
}

export type MeetingKind = 'one-to-one' | 'operational' | 'general';
export const kMeetingKinds: readonly MeetingKind[] = ['one-to-one', 'operational', 'general'];

export type InviteeRole = 'host' | 'co-host' | 'participant';
export type InviteeResponse = 'needs-action' | 'accepted' | 'declined' | 'tentative';
export type RsvpAnswer = Exclude<InviteeResponse, 'needs-action'>;

export interface Invitee {
  employee_id: Id;
  name: string;
  department: string;
  role: InviteeRole;
  response: InviteeResponse;
  comment: string;
}

export interface OccurrenceException {
  occurrence: string;
  starts_at: string | null;
  ends_at: string | null;
  cancelled: boolean;
}

export interface OccurrenceTimes {
  occurrence: string;
  starts_at: string;
  ends_at: string;
}

export interface Meeting {
  id: Id;
  title: string;
  agenda: string;
  kind: MeetingKind;
  room: Room;
  organiser: Person;
  starts_at: string;
  ends_at: string;
  recurrence: Recurrence | null;
  status: 'scheduled' | 'cancelled';
  sequence: number;
  reminder_offsets: number[];
  // Empty only in the answer to a change by which a co-host removed
  // themselves.
  my_role: InviteeRole | '';
  my_response: InviteeResponse | '';
  my_comment: string;
  my_reminder_offsets: number[];
  invitees: Invitee[];
  exceptions: OccurrenceException[];
  next_occurrence: OccurrenceTimes | null;
  join_opens_at: string | null;
}

export interface Occurrence {
  meeting_id: Id;
  occurrence: string;
  title: string;
  kind: MeetingKind;
  room: { id: Id; name: string; kind: 'personal' | 'hall' };
  organiser: Person;
  starts_at: string;
  ends_at: string;
  my_role: InviteeRole;
  my_response: InviteeResponse;
  status: 'scheduled' | 'cancelled';
  recurring: boolean;
  join_opens_at: string;
}

export interface MeetingRequest {
  title: string;
  agenda?: string;
  kind?: MeetingKind;
  room_id?: Id;
  starts_at: string;
  ends_at: string;
  recurrence?: Recurrence | null;
  invitees: Array<{ employee_id: Id; role?: InviteeRole }>;
  departments?: string[];
  reminder_offsets?: number[];
  allow_conflicts?: boolean;
}

export interface AvailabilityRequest {
  starts_at: string;
  ends_at: string;
  recurrence?: Recurrence | null;
  invitees: Array<{ employee_id: Id }>;
  departments?: string[];
  room_id?: Id;
  meeting_id?: Id;
}

export interface Availability {
  busy: Person[];
  hall_busy: boolean;
}

export type CallStatus = 'ringing' | 'accepted' | 'declined' | 'missed' | 'cancelled';

export interface Call {
  id: Id;
  status: CallStatus;
  caller: Person;
  callee: Person;
  meeting_id: Id | null;
}

export type NotificationKind =
  | 'meeting.invited'
  | 'meeting.rescheduled'
  | 'meeting.cancelled'
  | 'meeting.reminder'
  | 'call.missed';

// The payload depends on the kind (see notification_text.ts); read it
// defensively, a newer server may send kinds this build does not know.
export interface AppNotification {
  id: Id;
  kind: NotificationKind | string;
  payload: Record<string, unknown>;
  created_at: string;
  read: boolean;
}

export interface NotificationPage {
  notifications: AppNotification[];
  unread: number;
}

// Only the hash of the subscription's secret is stored: its URL is in the
// answer to POST only, never in GET.
export interface CalendarFeed {
  active: boolean;
  created_at: string | null;
}

export interface CreatedCalendarFeed extends CalendarFeed {
  url: string;
}

// GET /presence?ids=…: each id asked for, with its presence.
export interface PresenceMap {
  presence: Record<string, Presence>;
}

// --- Documents (docs/documents.md) ------------------------------------------

export type Classification = 'public' | 'internal' | 'restricted';
export const kClassifications: readonly Classification[] = ['public', 'internal', 'restricted'];

// Permissions grow: each includes the ones before it.
export type DocumentPermission = 'view' | 'comment' | 'edit' | 'manage';
export const kDocumentPermissions: readonly DocumentPermission[] = ['view', 'comment', 'edit', 'manage'];

export type ScanState = 'clean' | 'not-scanned' | 'pending-scan';

export interface DocumentVersion {
  number: number;
  uploader: Person;
  uploaded_at: string;
  size: number;
  sha256: string;
  // From the content (libmagic), never from the name.
  media_type: string;
  // Sanitised by the server; for display and as the download name only.
  file_name: string;
  scan_state: ScanState;
  // PDFs and raster images: GET …/preview answers them inline.
  previewable: boolean;
}

// "Document" would hide the DOM's Document type wherever it is imported.
export interface DocumentRecord {
  id: Id;
  title: string;
  description: string;
  classification: Classification;
  owner: Person;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  restorable_until: string | null;
  // Mine, on this document.
  permission: DocumentPermission;
  // The latest version I may see; for its uploader it may still wait for a
  // virus scan (scan_state "pending-scan"), which nobody can open yet.
  latest_version: DocumentVersion | null;
  pending_scan: boolean;
}

// What the list asks for (GET /documents).
export type DocumentScope = 'all' | 'mine' | 'shared' | 'deleted';
export type DocumentTypeFilter = 'pdf' | 'image' | 'office' | 'other';

export interface DocumentQuery {
  q?: string;
  scope?: DocumentScope;
  classification?: Classification | '';
  type?: DocumentTypeFilter | '';
}

// What the upload query string carries (the body is the file).
export interface DocumentUploadFields {
  title: string;
  file_name: string;
  classification: Classification;
  description?: string;
}

// The answer to an upload: 201 (visible now) or 202 (waiting for a virus
// scan), told apart by `status`.
export interface DocumentUploaded {
  status: number;
  document: DocumentRecord;
  version: DocumentVersion;
}

export interface DocumentChanges {
  title?: string;
  description?: string;
  classification?: Classification;
}

export type GranteeKind = 'employee' | 'department' | 'meeting';
export const kGranteeKinds: readonly GranteeKind[] = ['employee', 'department', 'meeting'];

export interface Grantee {
  kind: GranteeKind;
  id: Id;
  name: string;
}

export interface DocumentShare {
  id: Id;
  grantee: Grantee;
  permission: DocumentPermission;
  expires_at: string | null;
  created_by: Person;
  created_at: string;
}

export interface ShareRequest {
  grantee: { kind: GranteeKind; id: Id };
  permission: DocumentPermission;
  expires_at?: string | null;
}

export interface DocumentComment {
  id: Id;
  author: Person;
  body: string;
  created_at: string;
}

// --- Third-party portals (docs/integrations.md) -----------------------------

export type IntegrationLevel = 'link' | 'embed' | 'sso' | 'api';
export const kIntegrationLevels: readonly IntegrationLevel[] = ['link', 'embed', 'sso', 'api'];

export type IntegrationStatus = 'pending' | 'approved' | 'rejected' | 'suspended' | 'revoked';

export type IntegrationAction = 'requested' | 'approved' | 'rejected' | 'suspended' | 'reinstated' | 'revoked';

// One step of an integration's history, oldest first. The server names the
// person as `actor` (older drafts: actor_id and actor_name).
export interface IntegrationDecision {
  action: IntegrationAction | string;
  actor?: Person;
  actor_id?: Id;
  actor_name?: string;
  reason: string;
  at: string;
}

// What an administrator asks for (POST /integrations). Empty visibility
// lists mean everyone.
export interface IntegrationRequest {
  name: string;
  level: IntegrationLevel;
  owner: string;
  purpose: string;
  launch_url: string;
  origins: string[];
  redirect_uris: string[];
  scopes: string[];
  visible_roles: string[];
  visible_departments: Id[];
}

// An integration as administrators and security officers see it.
export interface Integration extends IntegrationRequest {
  id: Id;
  status: IntegrationStatus | string;
  // Who asked for it; the server may send the person or their id alone.
  requested_by: Person | Id | null;
  requested_by_name?: string;
  requested_at: string;
  updated_at?: string;
  // sso: the OpenID Connect client id (usable only while approved).
  client_id?: string | null;
  decisions?: IntegrationDecision[];
  // api: its tokens, never the token itself.
  api_tokens?: IntegrationApiToken[];
}

export interface IntegrationApiToken {
  id: Id;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

// The secret of an sso client or the token of an api integration, in the
// answer to the approval only (the server keeps their hashes).
export interface IntegrationCredentials {
  client_id?: string;
  client_secret?: string;
  api_token?: string;
  expires_at?: string;
}

// The answer to a decision: the integration as it now is, with the
// credentials an approval made.
export interface IntegrationDecided extends Integration {
  credentials?: IntegrationCredentials;
}

// What the client makes of an approval's answer.
export interface IntegrationApproved {
  integration: Integration;
  credentials: IntegrationCredentials;
}

// A portal the caller may open (GET /integrations/catalogue): approved, and
// visible to their roles and department.
export interface CatalogueEntry {
  id: Id;
  name: string;
  level: IntegrationLevel;
  purpose: string;
  launch_url: string;
}
