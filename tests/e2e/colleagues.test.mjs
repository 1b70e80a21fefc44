// The directory of colleagues: search by part of a name (Cyrillic, any case),
// by position or code, the department filter, and the announced count.
import assert from 'node:assert/strict';
import { e2eSuite, firstSignIn, heading1, switchLanguage, UI, visible, waitUntil } from './harness.mjs';

const suite = e2eSuite();

// Waits until the result cards name exactly `names` and the live region
// announces their number (both, so that a stale list does not pass).
async function expectResults(page, lang, names, { timeout } = {}) {
  // The count is the view's own status line (the layout has live regions too).
  const status = page.getByRole('main').getByRole('status');
  const cards = page.getByRole('heading', { level: 3 });
  const want = [...names].sort();
  let seen;
  await waitUntil(
    async () => {
      const [count, shown] = await Promise.all([status.textContent(), cards.allTextContents()]);
      seen = { count, shown: shown.sort() };
      return count === UI[lang].found(want.length) && JSON.stringify(seen.shown) === JSON.stringify(want);
    },
    { message: `results ${JSON.stringify(want)}`, timeout },
  ).catch((error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(seen)}`);
  });
  assert.equal(await status.getAttribute('aria-live'), 'polite');
}

suite.test('colleagues: Cyrillic search, department filter and the announced count', async (t) => {
  const finance = 'Дирекция „Финанси“';
  const legal = 'Дирекция „Правна“';
  const me = suite.addEmployee({ name: 'Мария Иванова', department: finance, position: 'Главен експерт' });
  const stefan = suite.addEmployee({ name: 'Стефан Иванов', department: legal, position: 'Юрисконсулт' });
  suite.addEmployee({ name: 'Петя Колева', department: finance, position: 'Счетоводител' });
  suite.addEmployee({ name: 'Йордан Петров', department: legal, position: 'Директор' });
  const everyone = ['Мария Иванова', 'Стефан Иванов', 'Петя Колева', 'Йордан Петров'];

  const page = await t.newPage();
  await firstSignIn(page, t.url(), me);
  await page.getByRole('link', { name: UI.bg.colleaguesLink, exact: true }).click();
  await visible(heading1(page, UI.bg.colleaguesHeading));
  await expectResults(page, 'bg', everyone);

  const search = page.getByRole('searchbox', { name: UI.bg.search, exact: true });
  const department = page.getByRole('combobox', { name: UI.bg.department, exact: true });

  // Part of a name, lower case: both "Иванова" and "Иванов".
  await search.fill('иванов');
  await expectResults(page, 'bg', ['Мария Иванова', 'Стефан Иванов']);
  // Upper case, the whole surname.
  await search.fill('ИВАНОВА');
  await expectResults(page, 'bg', ['Мария Иванова']);
  // A position; a personal code (without its dash: see the next test).
  await search.fill('счетовод');
  await expectResults(page, 'bg', ['Петя Колева']);
  await search.fill(stefan.code.replace('-', ''));
  await expectResults(page, 'bg', ['Стефан Иванов']);
  await search.fill(stefan.code.replace('-', '').toLowerCase());
  await expectResults(page, 'bg', ['Стефан Иванов']);
  await search.fill('Несъществуващ');
  await expectResults(page, 'bg', []);

  // The department filter, alone and with a search.
  await search.fill('');
  await expectResults(page, 'bg', everyone);
  const options = await department.locator('option').allTextContents();
  assert.deepEqual(options.sort(), [UI.bg.allDepartments, `${finance} (2)`, `${legal} (2)`].sort());
  await department.selectOption({ label: `${legal} (2)` });
  await expectResults(page, 'bg', ['Стефан Иванов', 'Йордан Петров']);
  await search.fill('иванов');
  await expectResults(page, 'bg', ['Стефан Иванов']);
  await department.selectOption({ label: `${finance} (2)` });
  await expectResults(page, 'bg', ['Мария Иванова']);
  await department.selectOption({ label: UI.bg.allDepartments });
  await expectResults(page, 'bg', ['Мария Иванова', 'Стефан Иванов']);

  // The card tells the department and position.
  const card = page.getByRole('article').filter({ has: page.getByRole('heading', { name: 'Стефан Иванов' }) });
  await visible(card.getByText(legal, { exact: true }));
  await visible(card.getByText('Юрисконсулт', { exact: true }));

  // In English the count is announced in English; the query stays.
  await switchLanguage(page, 'bg');
  await expectResults(page, 'en', ['Мария Иванова', 'Стефан Иванов']);
  const searchEn = page.getByRole('searchbox', { name: UI.en.search, exact: true });
  assert.equal(await searchEn.inputValue(), 'иванов');
  await searchEn.fill('Колева');
  await expectResults(page, 'en', ['Петя Колева']);
  await searchEn.fill('xyz');
  await expectResults(page, 'en', []);
});

// The cards show codes as "K7M4-QX2Z" and the field says "search by ... code".
suite.test(
  'colleagues: a personal code as shown on the cards ("K7M4-QX2Z") finds the person',
  async (t) => {
    const me = suite.addEmployee({ name: 'Веселина Тодорова', department: 'Дирекция „Култура“' });
    const page = await t.newPage();
    await firstSignIn(page, t.url(), me);
    await page.getByRole('link', { name: UI.bg.colleaguesLink, exact: true }).click();
    const search = page.getByRole('searchbox', { name: UI.bg.search, exact: true });
    await search.fill(me.code);
    await expectResults(page, 'bg', ['Веселина Тодорова'], { timeout: 3_000 });
  },
);
