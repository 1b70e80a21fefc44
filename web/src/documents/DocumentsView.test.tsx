import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../api/types';
import { documentWith, kDocument, kOldVersion } from '../test/document_fixtures';
import { makeServices, problem } from '../test/harness';
import { DocumentsView } from './DocumentsView';

afterEach(cleanup);

const kDeleted = documentWith({
  id: 'd9',
  title: 'Стара заповед',
  deleted_at: '2026-05-01T10:00:00Z',
  restorable_until: '2026-05-31T10:00:00Z',
});

function setup(lang: 'bg' | 'en' = 'bg') {
  let deleted: DocumentRecord[] = [kDeleted];
  const harness = makeServices(
    {
      'GET /documents': (request) => {
        if (request.query.get('scope') === 'deleted') return { body: { documents: deleted } };
        const shared = documentWith({
          id: 'd2',
          title: 'Проект на бюджет',
          classification: 'restricted',
          owner: { id: 'e2', name: 'Иван Петров' },
          permission: 'comment',
          latest_version: kOldVersion,
          pending_scan: true,
        });
        const q = request.query.get('q') ?? '';
        return { body: { documents: [kDocument, shared].filter((d) => d.title.includes(q)) } };
      },
      'POST /documents/d9/restore': () => {
        deleted = [];
        return { body: { ...kDeleted, deleted_at: null, restorable_until: null } };
      },
    },
    { lang, path: '/documents' },
  );
  harness.services.client.setCsrfToken('tok');
  harness.render(<DocumentsView />);
  return harness;
}

describe('DocumentsView', () => {
  it('lists the documents with classification, owner, latest version and the virus scan badge', async () => {
    setup();
    await screen.findByRole('heading', { level: 1, name: 'Документи' });
    await screen.findByText('Намерени са 2 документа.');
    const items = screen.getAllByTestId('document');
    expect(within(items[0]).getByRole('link', { name: 'Годишен отчет' }).getAttribute('href')).toBe('/documents/d1');
    expect(items[0].textContent).toContain('Класификация: Вътрешен');
    expect(items[0].textContent).toContain('Собственик: Мария Иванова');
    expect(items[0].textContent).toContain('Версия 2 · PDF · 1,5 МБ');
    expect(within(items[0]).queryByTestId('pending-scan')).toBeNull();
    expect(items[1].textContent).toContain('Ограничен');
    expect(items[1].textContent).toContain('Версия 1 · Word · 2 КБ');
    expect(within(items[1]).getByTestId('pending-scan').textContent).toBe('Очаква проверка за вируси');
    expect(screen.getByRole('link', { name: 'Качване на документ' }).getAttribute('href')).toBe('/documents/new');
  });

  it('searches after a pause and filters at once', async () => {
    const { calls } = setup();
    await screen.findByText('Намерени са 2 документа.');
    fireEvent.input(screen.getByRole('searchbox', { name: 'Търсене по заглавие или описание' }), { target: { value: 'бюджет' } });
    await screen.findByText('Намерен е 1 документ.');
    expect(calls.filter((c) => c.path === '/documents').at(-1)?.query.get('q')).toBe('бюджет');
    fireEvent.change(screen.getByRole('combobox', { name: 'Класификация' }), { target: { value: 'restricted' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Вид на файла' }), { target: { value: 'office' } });
    await waitFor(() => {
      const last = calls.filter((c) => c.path === '/documents').at(-1);
      expect(last?.query.get('classification')).toBe('restricted');
      expect(last?.query.get('type')).toBe('office');
      expect(last?.query.get('q')).toBe('бюджет');
    });
  });

  it('shows deleted documents with "restorable until" and restores one', async () => {
    const { calls } = setup();
    await screen.findByText('Намерени са 2 документа.');
    fireEvent.change(screen.getByRole('combobox', { name: 'Показване' }), { target: { value: 'deleted' } });
    await screen.findByText('Намерен е 1 документ.');
    const item = screen.getByTestId('document');
    // A deleted document has no page to go to.
    expect(within(item).queryByRole('link')).toBeNull();
    expect(item.textContent).toMatch(/Може да се възстанови до 31\.05\.2026 г\., 13:00/);
    fireEvent.click(within(item).getByRole('button', { name: 'Възстановяване на Стара заповед' }));
    await screen.findByText('Документът „Стара заповед“ е възстановен.');
    expect(calls.find((c) => c.method === 'POST')?.headers.get('X-CSRF-Token')).toBe('tok');
    await screen.findByText('Няма намерени документи.');
  });

  it('speaks English too', async () => {
    setup('en');
    await screen.findByText('2 documents found.');
    expect(screen.getByRole('combobox', { name: 'Show' })).toBeTruthy();
    expect(screen.getAllByTestId('document')[0].textContent).toContain('Version 2 · PDF · 1.5 MB');
  });

  it('says why the list could not be loaded', async () => {
    makeServices({ 'GET /documents': problem('unavailable', 503, { detail: 'Хранилището не е достъпно.' }) }).render(<DocumentsView />);
    await screen.findByText('Хранилището не е достъпно.');
    expect(screen.getByRole('button', { name: 'Нов опит' })).toBeTruthy();
  });
});
