import { kApiBase, type ApiClient, type UploadOptions } from './client';
import type {
  Availability,
  AvailabilityRequest,
  CalendarFeed,
  CatalogueEntry,
  Call,
  ChatMessage,
  CreatedCalendarFeed,
  Department,
  DocumentChanges,
  DocumentComment,
  DocumentQuery,
  DocumentRecord,
  DocumentShare,
  DocumentUploaded,
  DocumentUploadFields,
  DocumentVersion,
  Employee,
  HallRequest,
  Id,
  Integration,
  IntegrationApproved,
  IntegrationCredentials,
  IntegrationDecided,
  IntegrationRequest,
  ItemList,
  JoinTicket,
  Knock,
  LobbyEntry,
  MeetingControlsState,
  Me,
  Meeting,
  MeetingRequest,
  NotificationPage,
  Occurrence,
  Presence,
  PresenceMap,
  RecoveryCodes,
  Room,
  RoomList,
  RsvpAnswer,
  SessionInfo,
  SessionItem,
  ShareRequest,
  SignInRequest,
  TotpEnrolment,
} from './types';

// A path segment. An occurrence is named by an RFC 3339 time; ":" is legal
// in a path segment (RFC 3986 §3.3) and is kept readable.
export function segment(value: Id | number): string {
  return encodeURIComponent(String(value)).replace(/%3A/gi, ':');
}

// The endpoints of /api/v1, one method each. Errors are ApiErrors.
export class EgovboxApi {
  constructor(private readonly client: ApiClient) {}

  getSession(): Promise<SessionInfo> {
    return this.client.request('GET', '/session', { quiet: true });
  }

  signIn(request: SignInRequest): Promise<SessionInfo> {
    return this.client.request('POST', '/session', { body: request, quiet: true });
  }

  signOut(): Promise<void> {
    return this.client.request('DELETE', '/session', { quiet: true });
  }

  getMe(): Promise<Me> {
    return this.client.request('GET', '/me');
  }

  changePassword(current: string, next: string): Promise<void> {
    return this.client.request('POST', '/me/password', { body: { current, new: next } });
  }

  listSessions(): Promise<ItemList<SessionItem>> {
    return this.client.request('GET', '/me/sessions');
  }

  revokeSession(id: string): Promise<void> {
    return this.client.request('DELETE', `/me/sessions/${encodeURIComponent(id)}`);
  }

  startTotp(): Promise<TotpEnrolment> {
    return this.client.request('POST', '/me/totp');
  }

  confirmTotp(totp: string): Promise<RecoveryCodes> {
    return this.client.request('POST', '/me/totp/confirm', { body: { totp } });
  }

  disableTotp(password: string): Promise<void> {
    return this.client.request('DELETE', '/me/totp', { body: { password } });
  }

  searchEmployees(
    query: { q?: string; department?: string },
    signal?: AbortSignal,
  ): Promise<ItemList<Employee>> {
    return this.client.request('GET', '/employees', {
      query: { q: query.q, department: query.department },
      signal,
    });
  }

  listDepartments(): Promise<ItemList<Department>> {
    return this.client.request('GET', '/departments');
  }

  // --- Rooms -----------------------------------------------------------------

  listRooms(): Promise<RoomList> {
    return this.client.request('GET', '/rooms');
  }

  getRoom(id: Id): Promise<Room> {
    return this.client.request('GET', `/rooms/${segment(id)}`);
  }

  // A colleague's personal room (for knocking on it).
  getEmployeeRoom(employeeId: Id): Promise<Room> {
    return this.client.request('GET', `/employees/${segment(employeeId)}/room`);
  }

  createHall(hall: HallRequest): Promise<Room> {
    return this.client.request('POST', '/rooms', { body: hall });
  }

  updateHall(id: Id, hall: HallRequest): Promise<Room> {
    return this.client.request('PUT', `/rooms/${segment(id)}`, { body: hall });
  }

  archiveHall(id: Id): Promise<void> {
    return this.client.request('DELETE', `/rooms/${segment(id)}`);
  }

  joinRoom(id: Id): Promise<JoinTicket> {
    return this.client.request('POST', `/rooms/${segment(id)}/join`);
  }

  knock(roomId: Id): Promise<Knock> {
    return this.client.request('POST', `/rooms/${segment(roomId)}/knocks`);
  }

  getKnock(id: Id): Promise<Knock> {
    return this.client.request('GET', `/knocks/${segment(id)}`);
  }

  admitKnock(id: Id): Promise<Knock> {
    return this.client.request('POST', `/knocks/${segment(id)}/admit`);
  }

  declineKnock(id: Id): Promise<Knock> {
    return this.client.request('POST', `/knocks/${segment(id)}/decline`);
  }

  withdrawKnock(id: Id): Promise<void> {
    return this.client.request('DELETE', `/knocks/${segment(id)}`);
  }

  // --- Meetings --------------------------------------------------------------

  createMeeting(request: MeetingRequest): Promise<Meeting> {
    return this.client.request('POST', '/meetings', { body: request });
  }

  checkAvailability(request: AvailabilityRequest): Promise<Availability> {
    return this.client.request('POST', '/meetings/availability', { body: request });
  }

  // Occurrences from `from` to `to` (RFC 3339; the server's default is the
  // next 7 days, at most 62 days).
  upcomingMeetings(range: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<{ occurrences: Occurrence[] }> {
    return this.client.request('GET', '/meetings/upcoming', { query: { from: range.from, to: range.to }, signal });
  }

  getMeeting(id: Id): Promise<Meeting> {
    return this.client.request('GET', `/meetings/${segment(id)}`);
  }

  updateMeeting(id: Id, request: MeetingRequest): Promise<Meeting> {
    return this.client.request('PUT', `/meetings/${segment(id)}`, { body: request });
  }

  cancelMeeting(id: Id): Promise<void> {
    return this.client.request('DELETE', `/meetings/${segment(id)}`);
  }

  moveOccurrence(id: Id, occurrence: string, times: { starts_at: string; ends_at: string }): Promise<Meeting> {
    return this.client.request('PUT', `/meetings/${segment(id)}/occurrences/${segment(occurrence)}`, { body: times });
  }

  cancelOccurrence(id: Id, occurrence: string): Promise<void> {
    return this.client.request('DELETE', `/meetings/${segment(id)}/occurrences/${segment(occurrence)}`);
  }

  rsvp(id: Id, response: RsvpAnswer, comment: string): Promise<Meeting> {
    return this.client.request('PUT', `/meetings/${segment(id)}/rsvp`, { body: { response, comment } });
  }

  // null: back to the meeting's defaults; []: no reminders.
  setMyReminders(id: Id, offsets: number[] | null): Promise<Meeting> {
    return this.client.request('PUT', `/meetings/${segment(id)}/reminders`, { body: { offsets } });
  }

  joinMeeting(id: Id): Promise<JoinTicket> {
    return this.client.request('POST', `/meetings/${segment(id)}/join`);
  }

  leaveMeeting(id: Id): Promise<void> {
    return this.client.request('POST', `/meetings/${segment(id)}/leave`);
  }

  // Documents shared with a meeting I am invited to.
  meetingDocuments(id: Id): Promise<{ documents: DocumentRecord[] }> {
    return this.client.request('GET', `/meetings/${segment(id)}/documents`);
  }

  // The meeting's chat, newest last (at most `limit` messages, the newest).
  meetingChat(id: Id, limit = 100): Promise<{ messages: ChatMessage[] }> {
    return this.client.request('GET', `/meetings/${segment(id)}/chat`, { query: { limit: String(limit) } });
  }

  // 201 with the message as stored; everyone in the meeting (this tab too)
  // also gets it as `meeting.chat`.
  sendChatMessage(id: Id, text: string): Promise<ChatMessage> {
    return this.client.request('POST', `/meetings/${segment(id)}/chat`, { body: { text } });
  }

  // --- Host controls (docs/media.md "Host controls") -------------------------

  meetingControls(id: Id): Promise<MeetingControlsState> {
    return this.client.request('GET', `/meetings/${segment(id)}/controls`);
  }

  meetingLobby(id: Id): Promise<{ room_id: Id; waiting: LobbyEntry[] }> {
    return this.client.request('GET', `/meetings/${segment(id)}/lobby`);
  }

  muteParticipant(id: Id, participantId: Id, source: 'microphone' | 'camera'): Promise<void> {
    return this.client.request('POST', `/meetings/${segment(id)}/participants/${segment(participantId)}/mute`, {
      body: { source },
    });
  }

  muteAll(id: Id): Promise<{ muted: number }> {
    return this.client.request('POST', `/meetings/${segment(id)}/mute-all`);
  }

  removeFromMeeting(id: Id, employeeId: Id): Promise<void> {
    return this.client.request('POST', `/meetings/${segment(id)}/removals`, { body: { employee_id: employeeId } });
  }

  setMeetingLocked(id: Id, locked: boolean): Promise<{ locked: boolean }> {
    return this.client.request('PUT', `/meetings/${segment(id)}/lock`, { body: { locked } });
  }

  endMeetingForAll(id: Id): Promise<void> {
    return this.client.request('POST', `/meetings/${segment(id)}/end`);
  }

  lowerHandOf(id: Id, participantId: Id): Promise<void> {
    return this.client.request('DELETE', `/meetings/${segment(id)}/hands/${segment(participantId)}`);
  }

  // --- Documents -------------------------------------------------------------

  listDocuments(query: DocumentQuery = {}, signal?: AbortSignal): Promise<{ documents: DocumentRecord[] }> {
    return this.client.request('GET', '/documents', {
      query: { q: query.q, scope: query.scope, classification: query.classification, type: query.type },
      signal,
    });
  }

  // The file is the request body; the rest travels in the query string.
  uploadDocument(fields: DocumentUploadFields, file: Blob, options: Omit<UploadOptions, 'query'> = {}): Promise<DocumentUploaded> {
    return this.client
      .upload<{ document: DocumentRecord; version: DocumentVersion }>('/documents', file, {
        ...options,
        query: {
          title: fields.title,
          file_name: fields.file_name,
          classification: fields.classification,
          description: fields.description,
        },
      })
      .then((answer) => ({ status: answer.status, ...answer.body }));
  }

  getDocument(id: Id): Promise<DocumentRecord> {
    return this.client.request('GET', `/documents/${segment(id)}`);
  }

  updateDocument(id: Id, changes: DocumentChanges): Promise<DocumentRecord> {
    return this.client.request('PATCH', `/documents/${segment(id)}`, { body: changes });
  }

  deleteDocument(id: Id): Promise<void> {
    return this.client.request('DELETE', `/documents/${segment(id)}`);
  }

  restoreDocument(id: Id): Promise<DocumentRecord> {
    return this.client.request('POST', `/documents/${segment(id)}/restore`);
  }

  listVersions(id: Id): Promise<{ versions: DocumentVersion[] }> {
    return this.client.request('GET', `/documents/${segment(id)}/versions`);
  }

  uploadVersion(id: Id, fileName: string, file: Blob, options: Omit<UploadOptions, 'query'> = {}): Promise<DocumentUploaded> {
    return this.client
      .upload<{ document: DocumentRecord; version: DocumentVersion }>(`/documents/${segment(id)}/versions`, file, {
        ...options,
        query: { file_name: fileName },
      })
      .then((answer) => ({ status: answer.status, ...answer.body }));
  }

  // The bytes of a preview (a PDF for pdf.js); latest version without `version`.
  previewBytes(id: Id, version?: number, signal?: AbortSignal): Promise<Uint8Array> {
    return this.client.bytes(documentFilePath(id, 'preview', version), { signal });
  }

  listShares(id: Id): Promise<{ shares: DocumentShare[] }> {
    return this.client.request('GET', `/documents/${segment(id)}/shares`);
  }

  addShare(id: Id, share: ShareRequest): Promise<DocumentShare> {
    return this.client.request('POST', `/documents/${segment(id)}/shares`, { body: share });
  }

  removeShare(id: Id, shareId: Id): Promise<void> {
    return this.client.request('DELETE', `/documents/${segment(id)}/shares/${segment(shareId)}`);
  }

  listComments(id: Id): Promise<{ comments: DocumentComment[] }> {
    return this.client.request('GET', `/documents/${segment(id)}/comments`);
  }

  addComment(id: Id, body: string): Promise<DocumentComment> {
    return this.client.request('POST', `/documents/${segment(id)}/comments`, { body: { body } });
  }

  // --- Calendar feed ---------------------------------------------------------

  getCalendarFeed(): Promise<CalendarFeed> {
    return this.client.request('GET', '/me/calendar-feed');
  }

  // The URL is in this answer only (the server keeps its hash).
  createCalendarFeed(): Promise<CreatedCalendarFeed> {
    return this.client.request('POST', '/me/calendar-feed');
  }

  revokeCalendarFeed(): Promise<void> {
    return this.client.request('DELETE', '/me/calendar-feed');
  }

  // --- Calls -----------------------------------------------------------------

  startCall(calleeId: Id): Promise<Call> {
    return this.client.request('POST', '/calls', { body: { callee_id: calleeId } });
  }

  getCall(id: Id): Promise<Call> {
    return this.client.request('GET', `/calls/${segment(id)}`);
  }

  acceptCall(id: Id): Promise<Call> {
    return this.client.request('POST', `/calls/${segment(id)}/accept`);
  }

  declineCall(id: Id): Promise<Call> {
    return this.client.request('POST', `/calls/${segment(id)}/decline`);
  }

  hangUp(id: Id): Promise<void> {
    return this.client.request('DELETE', `/calls/${segment(id)}`);
  }

  // --- Notifications and presence ----------------------------------------------

  listNotifications(page: { limit?: number; before?: Id } = {}): Promise<NotificationPage> {
    return this.client.request('GET', '/notifications', {
      query: { limit: page.limit === undefined ? undefined : String(page.limit), before: page.before },
    });
  }

  markNotificationRead(id: Id): Promise<void> {
    return this.client.request('POST', `/notifications/${segment(id)}/read`);
  }

  markAllNotificationsRead(): Promise<void> {
    return this.client.request('POST', '/notifications/read-all');
  }

  // The presence of each of `ids` (at most kPresenceBatch of them; the
  // server looks at no more); without ids, one's own.
  getPresence(ids: Id[] = [], signal?: AbortSignal): Promise<PresenceMap> {
    return this.client.request('GET', '/presence', {
      query: { ids: ids.length > 0 ? ids.map(String).join(',') : undefined },
      signal,
    });
  }

  setDoNotDisturb(doNotDisturb: boolean): Promise<{ presence: Presence; do_not_disturb?: boolean }> {
    return this.client.request('PUT', '/me/presence', { body: { do_not_disturb: doNotDisturb } });
  }

  // --- Third-party portals (docs/integrations.md) ------------------------------

  // Every integration, for administrators and security officers.
  async listIntegrations(): Promise<Integration[]> {
    const answer = await this.client.request<{ items?: Integration[]; integrations?: Integration[] }>('GET', '/integrations');
    return answer.items ?? answer.integrations ?? [];
  }

  // 201 with the integration, `pending`.
  requestIntegration(request: IntegrationRequest): Promise<Integration> {
    return this.client.request('POST', '/integrations', { body: request });
  }

  // With its decision history.
  getIntegration(id: Id): Promise<Integration> {
    return this.client.request('GET', `/integrations/${segment(id)}`);
  }

  // The client secret (sso) or API token (api) is in this answer only. The
  // answer is the integration with `credentials` (an older draft of the
  // contract: {integration, client_secret?, api_token?}); both are read.
  async approveIntegration(id: Id): Promise<IntegrationApproved> {
    const answer = await this.client.request<IntegrationDecided & { integration?: Integration } & IntegrationCredentials>(
      'POST',
      `/integrations/${segment(id)}/approve`,
    );
    const { credentials, integration, client_secret, api_token, ...rest } = answer;
    return {
      integration: integration ?? (rest as Integration),
      credentials: credentials ?? { client_secret, api_token },
    };
  }

  rejectIntegration(id: Id, reason: string): Promise<IntegrationDecided> {
    return this.client.request('POST', `/integrations/${segment(id)}/reject`, { body: { reason } });
  }

  suspendIntegration(id: Id, reason: string): Promise<IntegrationDecided> {
    return this.client.request('POST', `/integrations/${segment(id)}/suspend`, { body: reason === '' ? {} : { reason } });
  }

  reinstateIntegration(id: Id): Promise<IntegrationDecided> {
    return this.client.request('POST', `/integrations/${segment(id)}/reinstate`);
  }

  revokeIntegration(id: Id, reason: string): Promise<IntegrationDecided> {
    return this.client.request('POST', `/integrations/${segment(id)}/revoke`, { body: { reason } });
  }

  // The approved portals the caller may see.
  async integrationCatalogue(signal?: AbortSignal): Promise<CatalogueEntry[]> {
    const answer = await this.client.request<{ items?: CatalogueEntry[]; integrations?: CatalogueEntry[] }>(
      'GET',
      '/integrations/catalogue',
      { signal },
    );
    return answer.items ?? answer.integrations ?? [];
  }
}

// The server reads at most this many ids of one GET /presence.
export const kPresenceBatch = 200;

// The address of a meeting's .ics file, for a plain download link.
export function meetingCalendarUrl(id: Id): string {
  return `${kApiBase}/meetings/${segment(id)}/calendar.ics`;
}

function documentFilePath(id: Id, what: 'content' | 'preview', version?: number): string {
  const base = `/documents/${segment(id)}`;
  return version === undefined ? `${base}/${what}` : `${base}/versions/${segment(version)}/${what}`;
}

// A document's file as an attachment (the server names it), for a plain
// <a href download> link; the latest version without `version`.
export function documentContentUrl(id: Id, version?: number): string {
  return `${kApiBase}${documentFilePath(id, 'content', version)}`;
}

// A previewable version inline, for an <img>.
export function documentPreviewUrl(id: Id, version?: number): string {
  return `${kApiBase}${documentFilePath(id, 'preview', version)}`;
}
