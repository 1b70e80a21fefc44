import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../api/types';
import { allowedGranteeKinds, emptyShareDraft, expiryInstant, meetingChoices, shareRequestOf } from './share_form';

const context = { classification: 'internal' as const, today: '2026-05-04' };

describe('shareRequestOf', () => {
  it('asks for a grantee of the chosen kind', () => {
    expect(shareRequestOf(emptyShareDraft(), context).errors).toEqual({ grantee: 'grantee-required' });
    // A department chosen earlier does not count once the kind is "meeting".
    const draft = { ...emptyShareDraft(), kind: 'meeting' as const, department: 'd2' };
    expect(shareRequestOf(draft, context).errors).toEqual({ grantee: 'grantee-required' });
  });

  it('builds the request for each kind', () => {
    const employee = { ...emptyShareDraft(), employee: { id: 'e2', name: 'Иван Петров' }, permission: 'edit' as const };
    expect(shareRequestOf(employee, context).request).toEqual({
      grantee: { kind: 'employee', id: 'e2' },
      permission: 'edit',
      expires_at: null,
    });
    const department = { ...emptyShareDraft(), kind: 'department' as const, department: 'd2' };
    expect(shareRequestOf(department, context).request?.grantee).toEqual({ kind: 'department', id: 'd2' });
    const meeting = { ...emptyShareDraft(), kind: 'meeting' as const, meeting: 'm1' };
    expect(shareRequestOf(meeting, context).request?.grantee).toEqual({ kind: 'meeting', id: 'm1' });
  });

  it('shares a restricted document with named employees only', () => {
    expect(allowedGranteeKinds('restricted')).toEqual(['employee']);
    expect(allowedGranteeKinds('public')).toEqual(['employee', 'department', 'meeting']);
    const department = { ...emptyShareDraft(), kind: 'department' as const, department: 'd2' };
    expect(shareRequestOf(department, { ...context, classification: 'restricted' }).errors).toEqual({
      grantee: 'kind-not-allowed',
    });
  });

  it('ends the share after its last day in Sofia, which may not be past', () => {
    const draft = { ...emptyShareDraft(), employee: { id: 'e2', name: 'И' } };
    // Summer time: midnight in Sofia is 21:00 UTC the day before.
    expect(shareRequestOf({ ...draft, expires: '2026-05-04' }, context).request?.expires_at).toBe('2026-05-04T21:00:00Z');
    expect(shareRequestOf({ ...draft, expires: '2026-05-03' }, context).errors).toEqual({ expires: 'expires-past' });
    expect(shareRequestOf({ ...draft, expires: '2026-02-30' }, context).errors).toEqual({ expires: 'expires-invalid' });
    // Winter time: UTC+2.
    expect(expiryInstant('2026-12-31')).toBe('2026-12-31T22:00:00Z');
    // The night summer time ends (25 October 2026).
    expect(expiryInstant('2026-10-24')).toBe('2026-10-24T21:00:00Z');
    expect(expiryInstant('2026-10-25')).toBe('2026-10-25T22:00:00Z');
  });
});

describe('meetingChoices', () => {
  const occurrence = (meeting_id: string, starts_at: string, status: 'scheduled' | 'cancelled' = 'scheduled') =>
    ({ meeting_id, starts_at, title: `Среща ${meeting_id}`, status }) as Occurrence;

  it('offers each meeting once, at its next occurrence, without cancelled ones', () => {
    const choices = meetingChoices([
      occurrence('m1', '2026-05-05T07:00:00Z', 'cancelled'),
      occurrence('m2', '2026-05-05T08:00:00Z'),
      occurrence('m1', '2026-05-12T07:00:00Z'),
      occurrence('m2', '2026-05-12T08:00:00Z'),
    ]);
    expect(choices.map((o) => [o.meeting_id, o.starts_at])).toEqual([
      ['m2', '2026-05-05T08:00:00Z'],
      ['m1', '2026-05-12T07:00:00Z'],
    ]);
  });
});
