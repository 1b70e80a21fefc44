import { cleanup, fireEvent, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { App } from '../app/App';
import { kMe, kSignedIn, makeServices } from '../test/harness';
import { integrationOf, kOfficer } from '../test/integration_fixtures';

afterEach(cleanup);

async function signedIn(me: Me) {
  const { services, render } = makeServices({
    'GET /session': kSignedIn,
    'GET /me': { body: me },
    'GET /integrations': { body: { items: [integrationOf()] } },
    'GET /integrations/i1': { body: integrationOf() },
  });
  render(<App />);
  await services.session.start();
  await screen.findByRole('heading', { level: 1, name: 'Моята стая' });
  return screen.getByRole('navigation', { name: 'Основна навигация' });
}

describe('the integrations in the navigation', () => {
  it('are there for security officers (and administrators), with the review queue and a request’s page', async () => {
    const nav = await signedIn(kOfficer);
    fireEvent.click(screen.getByRole('link', { name: 'Интеграции' }));
    await screen.findByRole('heading', { level: 1, name: 'Интеграции' });
    expect(window.location.pathname).toBe('/integrations');
    fireEvent.click(await screen.findByRole('link', { name: 'Регистър на решенията' }));
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    expect(window.location.pathname).toBe('/integrations/i1/details');
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Интеграции');
    expect(screen.getByRole('button', { name: 'Одобряване' })).toBeTruthy();
  });

  it('are not there for other employees', async () => {
    await signedIn(kMe);
    expect(screen.queryByRole('link', { name: 'Интеграции' })).toBeNull();
  });
});
