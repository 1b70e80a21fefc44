// Documents as the server sends them, for the tests. Not shipped.
import type { DocumentComment, DocumentRecord, DocumentShare, DocumentVersion } from '../api/types';

export const kPdfVersion: DocumentVersion = {
  number: 2,
  uploader: { id: 'u1', name: 'Мария Иванова' },
  uploaded_at: '2026-05-04T07:30:00Z',
  size: 1_572_864,
  sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  media_type: 'application/pdf',
  file_name: 'Отчет 2026.pdf',
  scan_state: 'clean',
  previewable: true,
};

export const kOldVersion: DocumentVersion = {
  ...kPdfVersion,
  number: 1,
  uploader: { id: 'e2', name: 'Иван Петров' },
  uploaded_at: '2026-04-20T12:00:00Z',
  size: 2048,
  sha256: 'aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999',
  media_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  file_name: 'Отчет 2026 (чернова).docx',
  previewable: false,
};

export const kDocument: DocumentRecord = {
  id: 'd1',
  title: 'Годишен отчет',
  description: 'Отчет за дейността\nпрез 2026 г.',
  classification: 'internal',
  owner: { id: 'u1', name: 'Мария Иванова' },
  created_at: '2026-04-20T12:00:00Z',
  updated_at: '2026-05-04T07:30:00Z',
  deleted_at: null,
  restorable_until: null,
  permission: 'manage',
  latest_version: kPdfVersion,
  pending_scan: false,
};

export const kShare: DocumentShare = {
  id: 's1',
  grantee: { kind: 'department', id: 'd2', name: 'Правен отдел' },
  permission: 'comment',
  expires_at: null,
  created_by: { id: 'u1', name: 'Мария Иванова' },
  created_at: '2026-05-04T08:00:00Z',
};

export const kComment: DocumentComment = {
  id: 'c1',
  author: { id: 'e2', name: 'Иван Петров' },
  body: 'Вижте раздел 3.',
  created_at: '2026-05-04T09:15:00Z',
};

export function documentWith(fields: Partial<DocumentRecord>): DocumentRecord {
  return { ...kDocument, ...fields };
}
