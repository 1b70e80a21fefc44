import { describe, expect, it } from 'vitest';
import { previewKind, shortSha256, titleFromFileName, typeGroup, typeName } from './document_files';

describe('titleFromFileName', () => {
  it('drops the last extension and any directory', () => {
    expect(titleFromFileName('Отчет за 2026.pdf')).toBe('Отчет за 2026');
    expect(titleFromFileName('protocol.final.v2.docx')).toBe('protocol.final.v2');
    expect(titleFromFileName('C:\\Users\\maria\\Заповед 12.odt')).toBe('Заповед 12');
    expect(titleFromFileName('/home/maria/scan.jpeg')).toBe('scan');
  });

  it('keeps a name without an extension, or one that is all extension', () => {
    expect(titleFromFileName('README')).toBe('README');
    expect(titleFromFileName('.bashrc')).toBe('.bashrc');
    expect(titleFromFileName('  бележка .txt')).toBe('бележка');
    expect(titleFromFileName('')).toBe('');
  });
});

describe('file types', () => {
  it('names the common types and reads text as text', () => {
    expect(typeName('application/pdf')).toEqual({ kind: 'name', name: 'PDF' });
    expect(typeName('Application/PDF; charset=binary')).toEqual({ kind: 'name', name: 'PDF' });
    expect(typeName('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toEqual({ kind: 'name', name: 'Word' });
    expect(typeName('text/plain')).toEqual({ kind: 'text' });
    expect(typeName('application/x-7z-compressed')).toEqual({ kind: 'raw', type: 'application/x-7z-compressed' });
  });

  it('sorts types into the list’s filters', () => {
    expect(typeGroup('application/pdf')).toBe('pdf');
    expect(typeGroup('image/webp')).toBe('image');
    expect(typeGroup('application/vnd.ms-excel')).toBe('office');
    expect(typeGroup('application/vnd.oasis.opendocument.text')).toBe('office');
    expect(typeGroup('application/msword')).toBe('office');
    expect(typeGroup('application/zip')).toBe('other');
  });

  it('previews PDFs with pdf.js and raster images with <img>, never a version waiting for a scan', () => {
    const version = { media_type: 'application/pdf', previewable: true, scan_state: 'clean' };
    expect(previewKind(version)).toBe('pdf');
    expect(previewKind({ ...version, media_type: 'image/png' })).toBe('image');
    expect(previewKind({ ...version, media_type: 'image/svg+xml' })).toBeNull();
    expect(previewKind({ ...version, previewable: false })).toBeNull();
    expect(previewKind({ ...version, scan_state: 'pending-scan' })).toBeNull();
    expect(previewKind({ ...version, scan_state: 'not-scanned' })).toBe('pdf');
  });

  it('shortens a SHA-256 to 12 characters', () => {
    expect(shortSha256('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('9f86d081884c');
  });
});
