// Documents, end to end, with three colleagues each in a browser context of
// their own, against a real server:
//   - A uploads a PDF from the upload form (a synthetic drop onto the drop
//     zone first, then the file input), sees the progress and lands on the
//     document's page, and shares it with B (view) through the share form;
//   - B finds it in the list and by its title, sees the pdf.js preview drawn
//     on the canvas, and downloads it: the same name and the same bytes;
//   - C, with whom nothing is shared, finds nothing: not in the list, not by
//     its title, and its address shows "Document not found".
// The PDF is written here, object by object (no binary fixture).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { e2eSuite, firstSignIn, heading1, UI, visible, waitForText, waitUntil } from './harness.mjs';

const suite = e2eSuite();

// The accessible names of web/README.md ("Documents" rows) used here, in Bulgarian.
const ui = {
  ...UI.bg,
  documentsLink: 'Документи',
  documentsHeading: 'Документи',
  uploadLink: 'Качване на документ',
  uploadHeading: 'Качване на документ',
  file: 'Файл',
  chosenFile: (name) => `Избран файл: ${name}`,
  title: 'Заглавие',
  classificationGroup: 'Класификация',
  internal: 'Вътрешен',
  upload: 'Качване',
  uploadProgress: 'Напредък на качването',
  cancelUpload: 'Отказ от качването',
  uploadAnnouncement: /^Качени \d+/,
  listSearch: 'Търсене по заглавие или описание',
  documentsFound: (n) => (n === 0 ? 'Няма намерени документи.' : n === 1 ? 'Намерен е 1 документ.' : `Намерени са ${n} документа.`),
  notFoundHeading: 'Документът не е намерен',
  download: (name) => `Изтегляне на ${name}`,
  preview: 'Преглед на документа',
  pageOf: (n, count) => `Страница ${n} от ${count}`,
  shareFormHeading: 'Споделяне с още някого',
  findEmployee: 'Търсене на служител',
  chooseEmployee: (name) => `Избор на ${name}`,
  chosenEmployee: (name) => `Избран служител: ${name}`,
  permission: 'Право',
  view: 'Преглед',
  share: 'Споделяне',
  shared: (name) => `Документът е споделен с ${name}.`,
  deleteDocument: 'Изтриване на документа',
};

// A valid one-page A4 PDF 1.4: a blue band and `text` in Helvetica (one of
// the standard 14 fonts, so nothing is embedded). The xref table gives each
// object's byte offset, every entry exactly 20 bytes ("nnnnnnnnnn ggggg n \n").
function onePagePdf(text) {
  const literal = text.replace(/[\\()]/g, '\\$&');
  const content = [
    '0.13 0.35 0.62 rg',
    '72 640 451 90 re f',
    `BT /F1 28 Tf 0 g 72 770 Td (${literal}) Tj ET`,
    'BT /F1 14 Tf 1 g 90 678 Td (eGov box) Tj ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefOffset = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function openDocuments(page) {
  await page.getByRole('link', { name: ui.documentsLink, exact: true }).click();
  await visible(heading1(page, ui.documentsHeading));
}

// Waits until the list's own status line (the layout's live region is
// outside <main>) announces `n` documents; says what it read if it does not.
async function expectListCount(page, n) {
  const status = page.getByRole('main').getByRole('status');
  let last = null;
  await waitUntil(
    async () => {
      last = ((await status.textContent()) ?? '').trim();
      return last === ui.documentsFound(n);
    },
    { message: JSON.stringify(ui.documentsFound(n)) },
  ).catch((error) => {
    throw new Error(`${error.message}; the list says ${JSON.stringify(last)}`);
  });
}

// Types `query` into the list's search box and waits for the server's answer
// to that very query, so that a count left over from before cannot pass.
async function searchList(page, query) {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/v1/documents' && url.searchParams.get('q') === query && response.request().method() === 'GET';
  });
  await page.getByRole('searchbox', { name: ui.listSearch, exact: true }).fill(query);
  const response = await answered;
  assert.equal(response.status(), 200, `GET /documents?q=${query}`);
}

// Counts, in the preview canvas's own pixels, the dark ones (the text) and
// the blue ones (the band): pdf.js has drawn the page once both are there.
async function canvasPixels(canvas) {
  return canvas.evaluate((element) => {
    const { data } = element.getContext('2d').getImageData(0, 0, element.width, element.height);
    let dark = 0;
    let blue = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r < 80 && g < 80 && b < 80) dark += 1;
      else if (r < 80 && g > 60 && g < 130 && b > 120) blue += 1;
    }
    return { width: element.width, height: element.height, dark, blue };
  });
}

suite.test('documents: A uploads a PDF and shares it with B, who previews and downloads it; C cannot find it', async (t) => {
  const owner = suite.addEmployee({ name: 'Десислава Андонова', position: 'Началник отдел' });
  const viewer = suite.addEmployee({ name: 'Борислав Ненчев', position: 'Старши експерт' });
  const outsider = suite.addEmployee({ name: 'Цветан Христов', position: 'Експерт' });
  const [pageA, pageB, pageC] = await Promise.all([t.newPage(), t.newPage(), t.newPage()]);
  await Promise.all([firstSignIn(pageA, t.url(), owner), firstSignIn(pageB, t.url(), viewer), firstSignIn(pageC, t.url(), outsider)]);

  const fileName = 'Протокол 7 – бюджет 2027.pdf';
  const title = 'Протокол 7 – бюджет 2027';
  const pdf = onePagePdf('Protocol 7 - budget 2027');

  // A: Documents → Upload a document.
  await openDocuments(pageA);
  await pageA.getByRole('main').getByRole('link', { name: ui.uploadLink, exact: true }).click();
  await visible(heading1(pageA, ui.uploadHeading));
  const titleBox = pageA.getByRole('textbox', { name: ui.title, exact: true });
  const zone = pageA.getByTestId('drop-zone');

  // A file dropped onto the zone is chosen, and its name becomes the title.
  const dataTransfer = await pageA.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['бележка'], 'бележка.txt', { type: 'text/plain' }));
    return transfer;
  });
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
  await visible(zone.getByText(ui.chosenFile('бележка.txt')));
  assert.equal(await titleBox.inputValue(), 'бележка');

  // The PDF chosen in the file input replaces it, and the title with it (not typed by hand).
  await pageA.getByLabel(ui.file, { exact: true }).setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdf });
  await visible(zone.getByText(ui.chosenFile(fileName)));
  assert.equal(await titleBox.inputValue(), title);
  const classification = pageA.getByRole('group', { name: ui.classificationGroup, exact: true });
  assert.ok(await classification.getByRole('radio', { name: ui.internal, exact: true }).isChecked(), 'internal is the default');

  // The upload is held in the browser until its progress has been seen (a
  // file this small would otherwise be up before the progress box is drawn);
  // nothing is changed, it is sent as is once released.
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  const isUpload = (url) => url.pathname === '/api/v1/documents';
  await pageA.route(isUpload, async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await pageA.getByRole('button', { name: ui.upload, exact: true }).click();
  const progress = pageA.getByTestId('upload-progress');
  await visible(progress.getByRole('progressbar', { name: ui.uploadProgress, exact: true }));
  await visible(progress.getByRole('button', { name: ui.cancelUpload, exact: true }));
  await waitForText(progress.getByTestId('upload-announcement'), ui.uploadAnnouncement);
  release();

  // The document's page.
  await visible(heading1(pageA, title));
  await pageA.waitForURL(/\/documents\/[^/]+$/);
  await pageA.unroute(isUpload);
  const documentUrl = pageA.url();
  const documentId = new URL(documentUrl).pathname.split('/').pop();
  assert.notEqual(documentId, 'new');
  await visible(pageA.getByRole('link', { name: ui.download(fileName), exact: true }));

  // A shares it with B, found by name, for viewing.
  const shareForm = pageA.getByRole('region', { name: ui.shareFormHeading, exact: true });
  await visible(shareForm);
  await shareForm.getByRole('searchbox', { name: ui.findEmployee, exact: true }).fill(viewer.name.split(' ')[0]);
  await shareForm.getByRole('button', { name: ui.chooseEmployee(viewer.name), exact: true }).click();
  await visible(shareForm.getByText(ui.chosenEmployee(viewer.name), { exact: true }));
  await shareForm.getByRole('combobox', { name: ui.permission, exact: true }).selectOption({ label: ui.view });
  await shareForm.getByRole('button', { name: ui.share, exact: true }).click();
  await visible(pageA.getByText(ui.shared(viewer.name), { exact: true }));
  const share = pageA.getByTestId('share').filter({ hasText: viewer.name });
  await visible(share);
  await visible(share.getByText(ui.view, { exact: true }));

  // B finds it in the list (the only one) and by its title.
  await openDocuments(pageB);
  await expectListCount(pageB, 1);
  const item = pageB.getByTestId('document').filter({ hasText: title });
  await visible(item.getByRole('heading', { level: 2, name: title, exact: true }));
  await searchList(pageB, title);
  await expectListCount(pageB, 1);

  // B opens it: a viewer, without the owner's controls.
  await item.getByRole('link', { name: title, exact: true }).click();
  await visible(heading1(pageB, title));
  assert.equal(pageB.url(), documentUrl);
  assert.equal(await pageB.getByRole('heading', { name: ui.shareFormHeading, exact: true }).count(), 0);
  assert.equal(await pageB.getByRole('button', { name: ui.deleteDocument, exact: true }).count(), 0);

  // The preview: page 1 of 1, drawn by pdf.js onto the canvas.
  const canvas = pageB.getByRole('img', { name: ui.preview, exact: true });
  await visible(canvas);
  assert.equal(await canvas.getAttribute('data-testid'), 'pdf-canvas');
  await visible(pageB.getByRole('status').filter({ hasText: ui.pageOf(1, 1) }));
  let pixels;
  await waitUntil(
    async () => {
      pixels = await canvasPixels(canvas);
      return pixels.width > 0 && pixels.height > 0 && pixels.dark > 500 && pixels.blue > 10_000;
    },
    { message: 'the PDF page drawn on the canvas' },
  ).catch((error) => {
    throw new Error(`${error.message}; last ${JSON.stringify(pixels)}`);
  });

  // The download: the original name and the very bytes uploaded.
  const [download] = await Promise.all([
    pageB.waitForEvent('download'),
    pageB.getByRole('link', { name: ui.download(fileName), exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), fileName);
  assert.equal(await download.failure(), null);
  const downloaded = fs.readFileSync(await download.path());
  assert.equal(downloaded.length, pdf.length, 'the downloaded size');
  assert.equal(sha256(downloaded), sha256(pdf), 'the SHA-256 of the downloaded file');

  // C finds nothing: not in the list, not by its title, not at its address.
  await openDocuments(pageC);
  await expectListCount(pageC, 0);
  await searchList(pageC, title);
  await expectListCount(pageC, 0);
  assert.equal(await pageC.getByTestId('document').count(), 0);
  await pageC.goto(documentUrl);
  await visible(heading1(pageC, ui.notFoundHeading));
  assert.equal(await pageC.getByRole('link', { name: ui.download(fileName), exact: true }).count(), 0);
  assert.equal(await pageC.getByRole('img', { name: ui.preview, exact: true }).count(), 0);
  // Nor its bytes, asked for with C's own session.
  for (const what of ['content', 'preview']) {
    const response = await pageC.request.get(t.url(`/api/v1/documents/${documentId}/${what}`));
    assert.equal(response.status(), 404, `C: GET …/${what}`);
  }
});
