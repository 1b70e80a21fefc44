import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { makeServices } from '../test/harness';
import { catalogueEntryOf } from '../test/integration_fixtures';
import { PortalView } from './PortalView';

afterEach(cleanup);

const withCatalogue = (...items: ReturnType<typeof catalogueEntryOf>[]) =>
  makeServices({ 'GET /integrations/catalogue': { body: { items } } }, { lang: 'bg' });

describe('PortalView', () => {
  it('shows an approved embed in a sandboxed frame named after it', async () => {
    withCatalogue(catalogueEntryOf({ id: 'e1' })).render(<PortalView portalId="e1" />);
    await screen.findByRole('heading', { level: 1, name: 'Регистър на решенията' });
    const frame = screen.getByTitle('Регистър на решенията') as HTMLIFrameElement;
    expect(frame.tagName).toBe('IFRAME');
    expect(frame.getAttribute('src')).toBe('https://register.example.bg/');
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms allow-popups');
    expect(frame.getAttribute('referrerpolicy')).toBe('no-referrer');
    const newTab = screen.getByRole('link', { name: 'Отваряне в нов раздел' });
    expect(newTab.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('explains a frame the browser blocked', async () => {
    withCatalogue(catalogueEntryOf({ id: 'e1' })).render(<PortalView portalId="e1" />);
    await screen.findByTitle('Регистър на решенията');
    const violation = () =>
      Object.assign(new Event('securitypolicyviolation'), {
        effectiveDirective: 'frame-src',
        violatedDirective: 'frame-src',
        blockedURI: 'https://register.example.bg/',
      });
    // The listener is added once the frame is shown (an effect).
    await waitFor(() => {
      fireEvent(document, violation());
      expect(screen.getByRole('alert').textContent).toMatch(/^Браузърът не позволи порталът да се покаже тук/);
    });
  });

  it('shows no frame for a portal that is not in the catalogue (pending, revoked, not for me)', async () => {
    withCatalogue().render(<PortalView portalId="e1" />);
    await screen.findByRole('heading', { level: 1, name: 'Порталът не е достъпен' });
    expect(document.querySelector('iframe')).toBeNull();
    expect(screen.getByRole('link', { name: 'Към моята стая' }).getAttribute('href')).toBe('/');
  });

  it('links a portal that is not embedded instead of framing it', async () => {
    withCatalogue(catalogueEntryOf({ id: 'l1', level: 'link' })).render(<PortalView portalId="l1" />);
    await screen.findByText('Този портал се отваря в отделен раздел.');
    expect(document.querySelector('iframe')).toBeNull();
  });
});
