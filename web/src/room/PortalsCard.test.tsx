import { cleanup, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kMe, makeServices } from '../test/harness';
import { catalogueEntryOf } from '../test/integration_fixtures';
import { RoomView } from './RoomView';

afterEach(cleanup);

const portalsCard = async () => (await screen.findByRole('heading', { level: 2, name: 'Портали' })).closest('section')!;

describe('the portals in the room', () => {
  it('shows a tile per portal: links in a new tab, embeds on their own page', async () => {
    makeServices(
      {
        'GET /integrations/catalogue': {
          body: {
            items: [
              catalogueEntryOf({ id: 'e1', name: 'Регистър на решенията', level: 'embed' }),
              catalogueEntryOf({ id: 'l1', name: 'ГИС на общината', level: 'link', launch_url: 'https://gis.example.bg/map' }),
              catalogueEntryOf({ id: 's1', name: 'Е-услуги', level: 'sso', launch_url: 'https://e.example.bg/', purpose: '' }),
            ],
          },
        },
      },
      { lang: 'bg' },
    ).render(<RoomView me={kMe} />);
    const card = await portalsCard();
    await within(card).findAllByTestId('portal-tile');
    const embed = within(card).getByRole('link', { name: 'Регистър на решенията' });
    expect(embed.getAttribute('href')).toBe('/integrations/e1');
    expect(embed.getAttribute('target')).toBeNull();
    const link = within(card).getByRole('link', { name: 'ГИС на общината (отваря се в нов раздел)' });
    expect(link.getAttribute('href')).toBe('https://gis.example.bg/map');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    const sso = within(card).getByRole('link', { name: 'Е-услуги (отваря се в нов раздел)' });
    expect(sso.getAttribute('href')).toBe('https://e.example.bg/');
    expect(sso.getAttribute('rel')).toBe('noopener noreferrer');
    expect(within(card).getByText('Отваря се тук, в eGov box.')).toBeTruthy();
    expect(within(card).getByText('Отваря се в нов раздел; влизате с профила си от eGov box.')).toBeTruthy();
  });

  it('says when there are none', async () => {
    makeServices({}, { lang: 'en' }).render(<RoomView me={kMe} />);
    const card = (await screen.findByRole('heading', { level: 2, name: 'Portals' })).closest('section')!;
    expect(await within(card).findByText('No portals are available to you.')).toBeTruthy();
  });
});
