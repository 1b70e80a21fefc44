import { cleanup, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kMe, makeServices } from '../test/harness';
import { integrationOf, kAdministrator, kOfficer } from '../test/integration_fixtures';
import { IntegrationsView } from './IntegrationsView';

afterEach(cleanup);

const kList = [
  integrationOf({ id: 'a', name: 'Одобрен', status: 'approved', updated_at: '2026-03-01T10:00:00Z' }),
  integrationOf({ id: 'b', name: 'По-нова заявка', requested_at: '2026-03-05T08:00:00Z' }),
  integrationOf({ id: 'c', name: 'Отменен', status: 'revoked', level: 'api', updated_at: '2026-03-04T10:00:00Z' }),
  integrationOf({ id: 'd', name: 'По-стара заявка', level: 'sso', requested_at: '2026-03-01T08:00:00Z', requested_by: { id: 'u-officer', name: 'Елена Стоянова' } }),
];

const namesIn = (section: string) =>
  within(screen.getByRole('heading', { level: 2, name: section }).closest('section')!)
    .queryAllByRole('heading', { level: 3 })
    .map((heading) => heading.textContent);

describe('IntegrationsView', () => {
  it('puts the requests awaiting a decision first, oldest first', async () => {
    makeServices({ 'GET /integrations': { body: { items: kList } } }, { lang: 'bg' }).render(<IntegrationsView me={kOfficer} />);
    await screen.findByRole('link', { name: 'Одобрен' });
    expect(namesIn('Чакат решение')).toEqual(['По-стара заявка', 'По-нова заявка']);
    expect(namesIn('Останалите интеграции')).toEqual(['Отменен', 'Одобрен']);
    const items = screen.getAllByTestId('integration');
    expect(within(items[0]).getByTestId('integration-status').textContent).toBe('Очаква одобрение');
    expect(within(items[0]).getByText('Единен вход (OpenID Connect)')).toBeTruthy();
    expect(within(items[0]).getByText('Ваша заявка')).toBeTruthy();
    expect(within(items[2]).getByTestId('integration-status').textContent).toBe('Отменена');
    expect(screen.getByRole('link', { name: 'Одобрен' }).getAttribute('href')).toBe('/integrations/a/details');
    // Officers decide; they do not request.
    expect(screen.queryByRole('link', { name: 'Нова заявка за интеграция' })).toBeNull();
  });

  it('lets administrators request one, and says when nothing awaits a decision', async () => {
    makeServices({ 'GET /integrations': { body: { items: [] } } }, { lang: 'bg' }).render(<IntegrationsView me={kAdministrator} />);
    expect(await screen.findByText('Няма заявки, които чакат решение.')).toBeTruthy();
    expect(screen.getByText('Няма други интеграции.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Нова заявка за интеграция' }).getAttribute('href')).toBe('/integrations/new');
  });

  it('is not for other employees', () => {
    const { calls } = makeServices({}, { lang: 'bg' });
    makeServices({}, { lang: 'bg' }).render(<IntegrationsView me={kMe} />);
    expect(screen.getByText('Тази страница е за администратори и служители по сигурността.')).toBeTruthy();
    expect(calls.some((call) => call.path === '/integrations')).toBe(false);
  });
});
