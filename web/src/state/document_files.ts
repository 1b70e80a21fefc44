import type { DocumentTypeFilter } from '../api/types';

// What a version's file is, in words people know, and the defaults the
// upload form takes from a file.

// The file name without its directory (some browsers give a path) and
// without its last extension: the default title of an upload. A name that
// is all extension (".bashrc") is kept whole.
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const title = dot > 0 ? base.slice(0, dot) : base;
  return title.trim();
}

// The first characters of a SHA-256, enough to compare two versions by eye.
export function shortSha256(sha256: string): string {
  return sha256.slice(0, 12);
}

// Short names for the types people meet; a message key of the catalog, or
// null for a type to show as it is.
const kTypeNames: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'image/tiff': 'TIFF',
  'image/svg+xml': 'SVG',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
  'application/rtf': 'RTF',
  'text/rtf': 'RTF',
  'text/csv': 'CSV',
  'application/zip': 'ZIP',
  'application/xml': 'XML',
  'text/xml': 'XML',
};

export type TypeName = { kind: 'name'; name: string } | { kind: 'text' } | { kind: 'raw'; type: string };

// "PDF", "Word", plain text (the catalog words it), or the media type itself.
export function typeName(mediaType: string): TypeName {
  const essence = mediaType.split(';')[0].trim().toLowerCase();
  const name = kTypeNames[essence];
  if (name) return { kind: 'name', name };
  if (essence === 'text/plain') return { kind: 'text' };
  return { kind: 'raw', type: essence || mediaType };
}

// Which filter of the list a type falls under (as the server sorts them).
export function typeGroup(mediaType: string): DocumentTypeFilter {
  const essence = mediaType.split(';')[0].trim().toLowerCase();
  if (essence === 'application/pdf') return 'pdf';
  if (essence.startsWith('image/')) return 'image';
  if (
    essence === 'application/msword' ||
    essence === 'application/rtf' ||
    essence === 'text/rtf' ||
    essence.startsWith('application/vnd.ms-') ||
    essence.startsWith('application/vnd.openxmlformats-officedocument.') ||
    essence.startsWith('application/vnd.oasis.opendocument.')
  ) {
    return 'office';
  }
  return 'other';
}

// The kind of preview a version gets: pdf.js, an <img>, or none.
export function previewKind(version: { media_type: string; previewable: boolean; scan_state: string }): 'pdf' | 'image' | null {
  if (!version.previewable || version.scan_state === 'pending-scan') return null;
  const essence = version.media_type.split(';')[0].trim().toLowerCase();
  if (essence === 'application/pdf') return 'pdf';
  if (essence.startsWith('image/') && essence !== 'image/svg+xml') return 'image';
  return null;
}
