import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DocumentRecord, DocumentShare, ShareRequest } from '../api/types';
import { documentWith, kComment, kDocument, kOldVersion, kPdfVersion, kShare } from '../test/document_fixtures';
import { kMe, makeServices, problem, type FakeRoute } from '../test/harness';
import { DocumentView } from './DocumentView';
import type { PdfOpener, PdfPages } from './pdf_renderer';

afterEach(cleanup);

// pdf.js stands in as a three-page document that records what it drew.
function fakePdf(pageCount = 3) {
  const drawn: number[] = [];
  const opened: Uint8Array[] = [];
  const pages: PdfPages = {
    pageCount,
    render: vi.fn(async (number: number) => {
      drawn.push(number);
    }),
    destroy: vi.fn(),
  };
  const open: PdfOpener = async (bytes) => {
    opened.push(bytes);
    return pages;
  };
  return { open, pages, drawn, opened };
}

function setup(document: DocumentRecord | (() => DocumentRecord), routes: Record<string, FakeRoute> = {}, lang: 'bg' | 'en' = 'bg') {
  const pdf = fakePdf();
  const harness = makeServices(
    {
      'GET /documents/d1': () => ({ body: typeof document === 'function' ? document() : document }),
      'GET /documents/d1/versions': { body: { versions: [kPdfVersion, kOldVersion] } },
      'GET /documents/d1/versions/2/preview': { body: '%PDF' },
      'GET /documents/d1/shares': { body: { shares: [kShare] } },
      'GET /documents/d1/comments': { body: { comments: [kComment] } },
      ...routes,
    },
    { lang, path: '/documents/d1' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<DocumentView me={kMe} documentId="d1" pdfOpener={pdf.open} />);
  return { ...harness, pdf };
}

describe('DocumentView', () => {
  it('shows the details, my permission and the download link under the original name', async () => {
    setup(kDocument);
    await screen.findByRole('heading', { level: 1, name: 'Годишен отчет' });
    // The description keeps its line breaks.
    expect(screen.getByText((_, element) => element?.tagName === 'DD' && element.textContent === 'Отчет за дейността\nпрез 2026 г.')).toBeTruthy();
    const permission = screen.getByText('Вашето право').nextElementSibling;
    expect(permission?.textContent).toBe('Управление');
    const download = screen.getByRole('link', { name: 'Изтегляне на Отчет 2026.pdf' });
    expect(download.getAttribute('href')).toBe('/api/v1/documents/d1/content');
    expect(download.getAttribute('download')).toBe('Отчет 2026.pdf');
  });

  it('previews a PDF page by page on a labelled canvas', async () => {
    const { pdf, calls } = setup(kDocument);
    const canvas = await screen.findByRole('img', { name: 'Преглед на документа' });
    expect(canvas.tagName).toBe('CANVAS');
    expect(calls.some((c) => c.path === '/documents/d1/versions/2/preview')).toBe(true);
    expect(screen.getByText('Страница 1 от 3')).toBeTruthy();
    await waitFor(() => expect(pdf.drawn).toEqual([1]));
    const previous = screen.getByRole('button', { name: 'Предишна страница' });
    expect(previous.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Следваща страница' }));
    fireEvent.click(screen.getByRole('button', { name: 'Следваща страница' }));
    await screen.findByText('Страница 3 от 3');
    // Past the last page nothing happens.
    fireEvent.click(screen.getByRole('button', { name: 'Следваща страница' }));
    fireEvent.click(previous);
    await screen.findByText('Страница 2 от 3');
    await waitFor(() => expect(pdf.drawn).toEqual([1, 2, 3, 2]));
  });

  it('previews an image with <img> from the preview URL', async () => {
    const image = { ...kPdfVersion, media_type: 'image/png', file_name: 'снимка.png' };
    setup(documentWith({ latest_version: image }), {
      'GET /documents/d1/versions': { body: { versions: [image] } },
    });
    const img = (await screen.findByRole('img', { name: 'Преглед на документа' })) as HTMLImageElement;
    expect(img.tagName).toBe('IMG');
    expect(img.getAttribute('src')).toBe('/api/v1/documents/d1/versions/2/preview');
  });

  it('lists the versions with a download link each, and previews an older one', async () => {
    const older = { ...kOldVersion, media_type: 'application/pdf', previewable: true };
    const { pdf } = setup(kDocument, {
      'GET /documents/d1/versions': { body: { versions: [kPdfVersion, older] } },
      'GET /documents/d1/versions/1/preview': { body: '%PDF' },
    });
    const rows = await screen.findAllByTestId('version');
    expect(rows[0].textContent).toContain('Версия 2 (последна) · Отчет 2026.pdf');
    expect(rows[0].textContent).toContain('Качена от Мария Иванова на 4.05.2026 г., 10:30');
    expect(rows[0].textContent).toContain('PDF · 1,5 МБ');
    expect(rows[0].textContent).toContain('SHA-256: 9f86d081884c…');
    const link = within(rows[1]).getByRole('link', { name: 'Изтегляне на версия 1 (Отчет 2026 (чернова).docx)' });
    expect(link.getAttribute('href')).toBe('/api/v1/documents/d1/versions/1/content');
    // The shown version has no "Preview" button of its own.
    expect(within(rows[0]).queryByRole('button')).toBeNull();
    fireEvent.click(within(rows[1]).getByRole('button', { name: 'Преглед на версия 1' }));
    await screen.findByText('Версия 1: Отчет 2026 (чернова).docx');
    await waitFor(() => expect(pdf.opened).toHaveLength(2));
  });

  it('uploads a new version (edit permission) and shows it', async () => {
    let document = documentWith({ permission: 'edit' });
    const third = { ...kPdfVersion, number: 3, file_name: 'Отчет v3.pdf' };
    const { uploads } = setup(() => document);
    await screen.findByRole('heading', { level: 1, name: 'Годишен отчет' });
    // Editors change the title and description, but neither share nor delete.
    expect(screen.getByRole('button', { name: 'Промяна на данните' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Изтриване на документа' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Споделяне' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Файл'), { target: { files: [new File(['x'], 'Отчет v3.pdf')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Качване на новата версия' }));
    const xhr = uploads.last();
    expect(xhr.path).toBe('/documents/d1/versions');
    expect(xhr.query.get('file_name')).toBe('Отчет v3.pdf');
    document = documentWith({ permission: 'edit', latest_version: third, updated_at: '2026-05-05T07:00:00Z' });
    xhr.respond(201, { document, version: third });
    await screen.findByText('Версия 3 е качена.');
    expect(screen.getByRole('link', { name: 'Изтегляне на Отчет v3.pdf' })).toBeTruthy();
  });

  it('shows what a viewer may do, and nothing more', async () => {
    setup(documentWith({ permission: 'view', owner: { id: 'e2', name: 'Иван Петров' } }));
    await screen.findByRole('heading', { level: 1, name: 'Годишен отчет' });
    await screen.findAllByTestId('share');
    expect(screen.getByRole('link', { name: 'Изтегляне на Отчет 2026.pdf' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Промяна на данните' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Изтриване на документа' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Качване на новата версия' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Премахване на споделянето с Правен отдел' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Споделяне' })).toBeNull();
    expect(screen.queryByLabelText('Вашият коментар')).toBeNull();
    await screen.findByText('Вижте раздел 3.');
  });

  it('says when the latest version waits for a virus scan, and offers no download', async () => {
    const pending = { ...kPdfVersion, scan_state: 'pending-scan' as const };
    setup(documentWith({ latest_version: pending, pending_scan: true }), {
      'GET /documents/d1/versions': { body: { versions: [pending, kOldVersion] } },
    });
    await screen.findByText('Последната версия очаква проверка за вируси. Ще може да се отвори, щом проверката приключи.');
    expect(screen.queryByRole('link', { name: 'Изтегляне на Отчет 2026.pdf' })).toBeNull();
    expect(screen.queryByRole('img', { name: 'Преглед на документа' })).toBeNull();
    const rows = await screen.findAllByTestId('version');
    expect(within(rows[0]).getByTestId('pending-scan')).toBeTruthy();
    expect(within(rows[0]).queryByRole('link')).toBeNull();
  });

  it('changes the title, description and classification (manage), sending only what changed', async () => {
    const { calls } = setup(kDocument, {
      'PATCH /documents/d1': (request) => ({ body: { ...kDocument, ...(request.body as Partial<DocumentRecord>) } }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Промяна на данните' }));
    fireEvent.input(screen.getByLabelText('Заглавие'), { target: { value: 'Годишен отчет 2026' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Публичен' }));
    fireEvent.click(screen.getByRole('button', { name: 'Запазване на промените' }));
    await screen.findByText('Промените са запазени.');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ title: 'Годишен отчет 2026', classification: 'public' });
    await screen.findByRole('heading', { level: 1, name: 'Годишен отчет 2026' });
  });

  it('deletes after a confirmation, and the owner can restore it at once', async () => {
    const { calls } = setup(kDocument, {
      'DELETE /documents/d1': { status: 204 },
      'POST /documents/d1/restore': { body: kDocument },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Изтриване на документа' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Да се изтрие ли документът?' });
    expect(document.activeElement?.textContent).toBe('Не, запазете го');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Да, изтрийте го' }));
    await screen.findByText('Документът е изтрит.');
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/documents/d1')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Възстановяване на документа' }));
    await screen.findByText('Документът е възстановен.');
    expect(screen.getByRole('button', { name: 'Изтриване на документа' })).toBeTruthy();
  });

  it('says "a meeting you are not invited to" where the server names none', async () => {
    const hidden: DocumentShare = { ...kShare, id: 's9', grantee: { kind: 'meeting', id: '', name: '' } };
    setup(documentWith({ permission: 'view' }), { 'GET /documents/d1/shares': { body: { shares: [hidden] } } });
    const [row] = await screen.findAllByTestId('share');
    expect(within(row!).getByText('Среща, на която не сте поканени')).toBeTruthy();
  });

  it('lists the shares and removes one (manage)', async () => {
    let shares: DocumentShare[] = [kShare];
    const { calls } = setup(kDocument, {
      'GET /documents/d1/shares': () => ({ body: { shares } }),
      'DELETE /documents/d1/shares/s1': () => {
        shares = [];
        return { status: 204 };
      },
    });
    const row = await screen.findByTestId('share');
    expect(row.textContent).toContain('Правен отдел');
    expect(row.textContent).toContain('Отдел');
    expect(row.textContent).toContain('Коментиране');
    expect(row.textContent).toContain('без краен срок');
    fireEvent.click(within(row).getByRole('button', { name: 'Премахване на споделянето с Правен отдел' }));
    await screen.findByText('Споделянето с Правен отдел е премахнато.');
    await screen.findByText('Документът не е споделен с никого.');
    expect(calls.find((c) => c.method === 'DELETE')?.headers.get('X-CSRF-Token')).toBe('tok');
  });

  it('shares with an employee found in the directory, until a day', async () => {
    const { calls } = setup(kDocument, {
      'GET /employees': {
        body: {
          items: [
            { id: 'e2', code: 'X', name: 'Иван Петров', email: '', department: { id: 'd2', name: 'Правен отдел' }, position: 'Юрист' },
          ],
        },
      },
      'POST /documents/d1/shares': (request) => ({
        body: {
          ...kShare,
          id: 's2',
          grantee: { kind: 'employee', id: 'e2', name: 'Иван Петров' },
          permission: (request.body as ShareRequest).permission,
        },
      }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Споделяне' }));
    await screen.findByText('Изберете с кого да споделите документа.');
    expect(document.activeElement?.id).toBe('share-employee-search');
    fireEvent.input(screen.getByRole('searchbox', { name: 'Търсене на служител' }), { target: { value: 'Иван' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Избор на Иван Петров' }));
    await screen.findByText('Избран служител: Иван Петров');
    fireEvent.change(screen.getByRole('combobox', { name: 'Право' }), { target: { value: 'edit' } });
    fireEvent.input(screen.getByLabelText('Валидно до (по желание)'), { target: { value: '2099-12-31' } });
    fireEvent.click(screen.getByRole('button', { name: 'Споделяне' }));
    await screen.findByText('Документът е споделен с Иван Петров.');
    expect(calls.find((c) => c.method === 'POST' && c.path === '/documents/d1/shares')?.body).toEqual({
      grantee: { kind: 'employee', id: 'e2' },
      permission: 'edit',
      expires_at: '2099-12-31T22:00:00Z',
    });
  });

  it('shares with a department or a meeting picked from a list', async () => {
    const { calls } = setup(kDocument, {
      'GET /departments': { body: { items: [{ id: 'd2', name: 'Правен отдел', employee_count: 4 }] } },
      'GET /meetings/upcoming': {
        body: {
          occurrences: [
            { meeting_id: 'm1', occurrence: 'x', title: 'Оперативка', starts_at: '2026-05-05T07:00:00Z', status: 'scheduled' },
          ],
        },
      },
      'POST /documents/d1/shares': { body: kShare },
    });
    fireEvent.click(await screen.findByRole('radio', { name: 'Среща' }));
    const meeting = await screen.findByRole('combobox', { name: 'Коя среща' });
    await within(meeting).findByRole('option', { name: /^Оперативка — / });
    fireEvent.click(screen.getByRole('radio', { name: 'Отдел' }));
    const department = await screen.findByRole('combobox', { name: 'Кой отдел' });
    await within(department).findByRole('option', { name: 'Правен отдел' });
    fireEvent.change(department, { target: { value: 'd2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Споделяне' }));
    await screen.findByText('Документът е споделен с Правен отдел.');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      grantee: { kind: 'department', id: 'd2' },
      permission: 'view',
      expires_at: null,
    });
  });

  it('offers only employees for a restricted document', async () => {
    setup(documentWith({ classification: 'restricted' }));
    await screen.findByText('Документът е с ограничен достъп: споделя се само с отделни служители.');
    expect(screen.queryByRole('radio', { name: 'Отдел' })).toBeNull();
    expect(screen.getByRole('searchbox', { name: 'Търсене на служител' })).toBeTruthy();
  });

  it('lists the comments and adds one (comment permission)', async () => {
    const { calls } = setup(documentWith({ permission: 'comment' }), {
      'POST /documents/d1/comments': (request) => ({
        body: { id: 'c2', author: { id: 'u1', name: 'Мария Иванова' }, body: (request.body as { body: string }).body, created_at: '2026-05-05T08:00:00Z' },
      }),
    });
    const first = await screen.findByTestId('comment');
    expect(first.textContent).toContain('Иван Петров, 4.05.2026 г., 12:15');
    fireEvent.click(screen.getByRole('button', { name: 'Добавяне на коментара' }));
    await screen.findByText('Напишете коментар.');
    fireEvent.input(screen.getByLabelText('Вашият коментар'), { target: { value: ' Съгласна съм. ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Добавяне на коментара' }));
    await screen.findByText('Коментарът е добавен.');
    expect(calls.find((c) => c.path === '/documents/d1/comments' && c.method === 'POST')?.body).toEqual({ body: 'Съгласна съм.' });
    expect(screen.getAllByTestId('comment')).toHaveLength(2);
  });

  it('answers a document it may not see with "no such document or no access"', async () => {
    setup(kDocument, { 'GET /documents/d1': problem('document-not-found', 404) });
    await screen.findByRole('heading', { level: 1, name: 'Документът не е намерен' });
    expect(screen.getByText('Такъв документ няма или нямате достъп до него.')).toBeTruthy();
  });

  it('speaks English', async () => {
    setup(kDocument, {}, 'en');
    await screen.findByRole('heading', { level: 1, name: 'Годишен отчет' });
    expect(screen.getByRole('link', { name: 'Download Отчет 2026.pdf' })).toBeTruthy();
    await screen.findByRole('img', { name: 'Document preview' });
    expect(screen.getByRole('button', { name: 'Share' })).toBeTruthy();
    expect(screen.getByLabelText('Valid until (optional)')).toBeTruthy();
  });
});
