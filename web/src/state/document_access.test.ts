import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../api/types';
import { kDocument } from '../test/document_fixtures';
import { documentActions, permits } from './document_access';

describe('permits', () => {
  it('orders view < comment < edit < manage', () => {
    expect(permits('view', 'view')).toBe(true);
    expect(permits('view', 'comment')).toBe(false);
    expect(permits('comment', 'comment')).toBe(true);
    expect(permits('comment', 'edit')).toBe(false);
    expect(permits('edit', 'comment')).toBe(true);
    expect(permits('manage', 'edit')).toBe(true);
  });

  it('gives an unknown permission nothing beyond view', () => {
    expect(permits('owner-plus', 'view')).toBe(true);
    expect(permits('owner-plus', 'comment')).toBe(false);
  });
});

describe('documentActions', () => {
  const withPermission = (permission: DocumentRecord['permission'], fields: Partial<DocumentRecord> = {}) =>
    documentActions({ ...kDocument, permission, ...fields });

  it('offers what each permission allows', () => {
    expect(withPermission('view')).toEqual({ comment: false, edit: false, manage: false, download: true });
    expect(withPermission('comment')).toEqual({ comment: true, edit: false, manage: false, download: true });
    expect(withPermission('edit')).toEqual({ comment: true, edit: true, manage: false, download: true });
    expect(withPermission('manage')).toEqual({ comment: true, edit: true, manage: true, download: true });
  });

  it('offers no download of a version waiting for a virus scan, nor of no version', () => {
    const pending = { ...kDocument.latest_version!, scan_state: 'pending-scan' as const };
    expect(withPermission('manage', { latest_version: pending }).download).toBe(false);
    expect(withPermission('manage', { latest_version: null }).download).toBe(false);
  });

  it('offers nothing but viewing on a deleted document', () => {
    const deleted = withPermission('manage', { deleted_at: '2026-05-01T10:00:00Z' });
    expect(deleted).toEqual({ comment: false, edit: false, manage: false, download: true });
  });
});
