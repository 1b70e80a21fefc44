import { cleanup, createEvent, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kDocument, kPdfVersion } from '../test/document_fixtures';
import { makeServices } from '../test/harness';
import { UploadDocumentView } from './UploadDocumentView';

afterEach(cleanup);

function setup(lang: 'bg' | 'en' = 'bg') {
  const harness = makeServices({}, { lang, path: '/documents/new' });
  harness.services.client.setCsrfToken('tok');
  harness.render(<UploadDocumentView />);
  return harness;
}

const pdf = (name = 'Отчет 2026.pdf', size = 2000) => new File(['x'.repeat(size)], name, { type: 'application/pdf' });

function chooseFile(file: File) {
  fireEvent.change(screen.getByLabelText('Файл'), { target: { files: [file] } });
}

describe('UploadDocumentView', () => {
  it('uploads with progress, then opens the document page', async () => {
    const { uploads, services } = setup();
    await screen.findByRole('heading', { level: 1, name: 'Качване на документ' });
    chooseFile(pdf());
    expect(screen.getByText('Избран файл: Отчет 2026.pdf (2 КБ)')).toBeTruthy();
    // The title is the file's name without its extension.
    expect((screen.getByLabelText('Заглавие') as HTMLInputElement).value).toBe('Отчет 2026');
    fireEvent.click(screen.getByRole('radio', { name: 'Ограничен' }));
    fireEvent.input(screen.getByLabelText('Описание (по желание)'), { target: { value: ' За сесията ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Качване' }));

    const xhr = uploads.last();
    expect(xhr.path).toBe('/documents');
    expect(Object.fromEntries(xhr.query)).toEqual({
      title: 'Отчет 2026',
      file_name: 'Отчет 2026.pdf',
      classification: 'restricted',
      description: 'За сесията',
    });
    expect(xhr.headers['X-CSRF-Token']).toBe('tok');
    xhr.progress(500, 2000);
    const bar = (await screen.findByRole('progressbar', { name: 'Напредък на качването' })) as HTMLProgressElement;
    await waitFor(() => expect(bar.value).toBe(25));
    expect(screen.getByTestId('upload-announcement').textContent).toBe('Качени 20%.');
    expect(screen.getByText('25% (500 байта от 2 КБ)')).toBeTruthy();
    xhr.progress(2000, 2000);
    xhr.respond(201, { document: kDocument, version: kPdfVersion });
    await waitFor(() => expect(services.router.path.get()).toBe('/documents/d1'));
    expect(services.announcer.current.get()?.render('bg')).toBe('Файлът е качен.');
  });

  it('takes a dropped file and keeps a title the person typed', async () => {
    const { uploads } = setup();
    fireEvent.input(await screen.findByLabelText('Заглавие'), { target: { value: 'Моето заглавие' } });
    // A real "drop" event (fireEvent.drop names it "Drop" where the test DOM
    // has no ondrop property).
    const zone = screen.getByTestId('drop-zone');
    fireEvent(zone, createEvent.drop(zone, { dataTransfer: { files: [pdf('a.pdf'), pdf('b.pdf')] } }));
    expect(screen.getByText('Избран файл: a.pdf (2 КБ)')).toBeTruthy();
    expect(screen.getByText('Пуснахте няколко файла; взет е само първият.')).toBeTruthy();
    expect((screen.getByLabelText('Заглавие') as HTMLInputElement).value).toBe('Моето заглавие');
    fireEvent.click(screen.getByRole('button', { name: 'Качване' }));
    expect(uploads.last().query.get('title')).toBe('Моето заглавие');
    expect(uploads.last().query.get('classification')).toBe('internal');
  });

  it('replaces a title taken from the previous file', async () => {
    setup();
    chooseFile(pdf('първи.pdf'));
    chooseFile(pdf('втори.odt'));
    expect((screen.getByLabelText('Заглавие') as HTMLInputElement).value).toBe('втори');
  });

  it('asks for a file first', async () => {
    const { uploads } = setup();
    fireEvent.click(await screen.findByRole('button', { name: 'Качване' }));
    await screen.findByText('Изберете файл.');
    expect(document.activeElement).toBe(screen.getByLabelText('Файл'));
    expect(uploads.all).toHaveLength(0);
  });

  it('shows the server’s reason in the reader’s language', async () => {
    const { uploads } = setup('en');
    fireEvent.change(await screen.findByLabelText('File'), { target: { files: [pdf('setup.exe')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Upload' }));
    expect(uploads.last().headers['Accept-Language']).toBe('en');
    uploads.last().fail('document-type-not-allowed', 415, 'Files of type application/x-dosexec are not accepted.');
    await screen.findByText('Files of type application/x-dosexec are not accepted.');
    // The form stays, ready for another file.
    expect(screen.getByRole('button', { name: 'Upload' })).toBeTruthy();
  });

  it('cancels an upload under way', async () => {
    const { uploads } = setup();
    chooseFile(pdf());
    fireEvent.click(screen.getByRole('button', { name: 'Качване' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Отказ от качването' }));
    expect(uploads.last().aborted).toBe(true);
    await screen.findByText('Качването е отменено.');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says when the file waits for a virus scan (202)', async () => {
    const { uploads, services } = setup();
    chooseFile(pdf());
    fireEvent.click(screen.getByRole('button', { name: 'Качване' }));
    uploads.last().respond(202, {
      document: { ...kDocument, pending_scan: true },
      version: { ...kPdfVersion, scan_state: 'pending-scan' },
    });
    await waitFor(() => expect(services.router.path.get()).toBe('/documents/d1'));
    expect(services.announcer.current.get()?.render('bg')).toBe('Файлът е качен и очаква проверка за вируси.');
  });
});
