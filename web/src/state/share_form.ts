import type { Classification, DocumentPermission, GranteeKind, Id, Occurrence, ShareRequest } from '../api/types';
import { addDays, isValidDate, sofiaDayStartUtc } from './sofia_time';

// The "share with" form: one grantee of the chosen kind, a permission and
// an optional last day, turned into the request body of POST …/shares.

export interface ShareDraft {
  kind: GranteeKind;
  // The chosen grantee of each kind (null: none yet), kept when the kind
  // changes so that switching back does not lose the choice.
  employee: { id: Id; name: string } | null;
  department: Id | '';
  meeting: Id | '';
  permission: DocumentPermission;
  // "YYYY-MM-DD", the last day (in Sofia) on which the share works; "" = no end.
  expires: string;
}

export type ShareField = 'grantee' | 'expires';
export type ShareProblem = 'grantee-required' | 'kind-not-allowed' | 'expires-invalid' | 'expires-past';
export type ShareErrors = Partial<Record<ShareField, ShareProblem>>;

export function emptyShareDraft(): ShareDraft {
  return { kind: 'employee', employee: null, department: '', meeting: '', permission: 'view', expires: '' };
}

// A restricted document is for named employees only: it cannot be shared
// with a department or a meeting (docs/documents.md).
export function allowedGranteeKinds(classification: Classification): GranteeKind[] {
  return classification === 'restricted' ? ['employee'] : ['employee', 'department', 'meeting'];
}

// The share stops at the end of its last day in Sofia, i.e. at the start
// of the next.
export function expiryInstant(lastDay: string): string {
  return sofiaDayStartUtc(addDays(lastDay, 1));
}

function granteeId(draft: ShareDraft): Id | null {
  switch (draft.kind) {
    case 'employee':
      return draft.employee ? draft.employee.id : null;
    case 'department':
      return draft.department === '' ? null : draft.department;
    case 'meeting':
      return draft.meeting === '' ? null : draft.meeting;
  }
}

// The request, or what is wrong with the draft. `today` is Sofia's date
// ("YYYY-MM-DD"): a last day before it is refused.
export function shareRequestOf(
  draft: ShareDraft,
  context: { classification: Classification; today: string },
): { request: ShareRequest; errors: null } | { request: null; errors: ShareErrors } {
  const errors: ShareErrors = {};
  const id = granteeId(draft);
  if (!allowedGranteeKinds(context.classification).includes(draft.kind)) errors.grantee = 'kind-not-allowed';
  else if (id === null) errors.grantee = 'grantee-required';
  const expires = draft.expires.trim();
  if (expires !== '') {
    if (!isValidDate(expires)) errors.expires = 'expires-invalid';
    else if (expires < context.today) errors.expires = 'expires-past';
  }
  if (errors.grantee || errors.expires || id === null) return { request: null, errors };
  return {
    request: {
      grantee: { kind: draft.kind, id },
      permission: draft.permission,
      expires_at: expires === '' ? null : expiryInstant(expires),
    },
    errors: null,
  };
}

// The meetings a document can be shared with, from GET /meetings/upcoming:
// each meeting once (its next occurrence), none that is cancelled.
export function meetingChoices(occurrences: Occurrence[]): Occurrence[] {
  const seen = new Set<string>();
  const choices: Occurrence[] = [];
  for (const occurrence of occurrences) {
    const id = String(occurrence.meeting_id);
    if (occurrence.status === 'cancelled' || seen.has(id)) continue;
    seen.add(id);
    choices.push(occurrence);
  }
  return choices;
}
