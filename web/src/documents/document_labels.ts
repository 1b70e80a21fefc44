import type { Classification, DocumentPermission, DocumentVersion, GranteeKind } from '../api/types';
import type { I18n } from '../i18n/I18nContext';
import { typeName } from '../state/document_files';

// The words for a document's classification, permissions and file types,
// in the reader's language. A value a newer server sends is shown as it is.

export function classificationText(i18n: I18n, classification: Classification | string): string {
  return i18n.td(`classification.${classification}`) ?? classification;
}

export function permissionText(i18n: I18n, permission: DocumentPermission | string): string {
  return i18n.td(`permission.${permission}`) ?? permission;
}

export function granteeKindText(i18n: I18n, kind: GranteeKind | string): string {
  return i18n.td(`grantee.${kind}`) ?? kind;
}

// "PDF", "Word", "Текст", or the media type itself.
export function typeText(i18n: I18n, mediaType: string): string {
  const name = typeName(mediaType);
  if (name.kind === 'name') return name.name;
  if (name.kind === 'text') return i18n.t('file_type.text');
  return name.type;
}

// "Версия 3 · PDF · 1,5 МБ · 4.05.2026 г., 10:00".
export function versionFacts(i18n: I18n, version: DocumentVersion): string {
  return i18n.t('documents.version_facts', {
    number: version.number,
    type: typeText(i18n, version.media_type),
    size: i18n.fileSize(version.size),
    date: i18n.dateTime(version.uploaded_at),
  });
}
