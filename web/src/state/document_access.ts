import type { DocumentPermission, DocumentRecord } from '../api/types';

const kRank: Record<DocumentPermission, number> = { view: 0, comment: 1, edit: 2, manage: 3 };

// Permissions grow (view < comment < edit < manage): does `held` include
// `needed`? An unknown value (a newer server's) gives nothing beyond view.
export function permits(held: string, needed: DocumentPermission): boolean {
  const rank = kRank[held as DocumentPermission] ?? 0;
  return rank >= kRank[needed];
}

// What the page offers on one document (docs/documents.md, "Permissions").
export interface DocumentActions {
  comment: boolean;
  // Upload a version, change the title and the description.
  edit: boolean;
  // Share and unshare, change the classification, delete and restore.
  manage: boolean;
  // A version that waits for a virus scan cannot be opened by anyone.
  download: boolean;
}

export function documentActions(document: DocumentRecord): DocumentActions {
  const live = document.deleted_at === null;
  return {
    comment: live && permits(document.permission, 'comment'),
    edit: live && permits(document.permission, 'edit'),
    manage: live && permits(document.permission, 'manage'),
    download: document.latest_version !== null && document.latest_version.scan_state !== 'pending-scan',
  };
}
