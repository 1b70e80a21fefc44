import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeServices } from '../test/harness';
import { CalendarFeedSection } from './CalendarFeedSection';

afterEach(cleanup);

describe('CalendarFeedSection', () => {
  it('creates, copies, renews and revokes the private address', async () => {
    let n = 0;
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { calls, services, render } = makeServices(
      {
        'GET /me/calendar-feed': { body: { active: false, created_at: null } },
        'POST /me/calendar-feed': () => ({
          status: 201,
          body: { active: true, created_at: '2026-11-20T09:12:44Z', url: `https://box.example/api/v1/calendar/t${++n}.ics` },
        }),
        'DELETE /me/calendar-feed': { status: 204 },
      },
      { lang: 'en' },
    );
    services.client.setCsrfToken('tok');
    render(<CalendarFeedSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Create an address' }));
    await screen.findByText('The address has been created.');
    const field = screen.getByLabelText('Private calendar address') as HTMLInputElement;
    expect(field.value).toBe('https://box.example/api/v1/calendar/t1.ics');
    expect(field.readOnly).toBe(true);
    // Shown this once: the page says so, tied to the field.
    const help = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(help?.textContent).toBe(
      'The address is shown once — now. Copy it into your calendar program; if you lose it, create a new one.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy the address' }));
    await screen.findByText('The address has been copied.');
    expect(writeText).toHaveBeenCalledWith('https://box.example/api/v1/calendar/t1.ics');
    fireEvent.click(screen.getByRole('button', { name: 'New address (the old one stops working)' }));
    await screen.findByText('A new address has been created. The old one no longer works.');
    expect((screen.getByLabelText('Private calendar address') as HTMLInputElement).value).toContain('t2.ics');
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the address' }));
    await screen.findByText('You have no subscription address.');
    await waitFor(() => expect(calls.filter((c) => c.method !== 'GET').map((c) => c.method)).toEqual(['POST', 'POST', 'DELETE']));
  });

  it('never shows an address it was not given: one made earlier can only be renewed or revoked', async () => {
    const { render } = makeServices({ 'GET /me/calendar-feed': { body: { active: true, created_at: '2026-11-20T09:12:44Z' } } });
    render(<CalendarFeedSection />);
    await screen.findByText(/^Имате адрес за абонамент, създаден на 20\.11\.2026/);
    screen.getByText(
      'От съображения за сигурност адресът се показва само веднъж, при създаването му. Ако сте го загубили, създайте нов (старият ще спре да работи).',
    );
    expect(screen.queryByLabelText('Личен адрес на календара')).toBeNull();
    expect(screen.getByRole('button', { name: 'Нов адрес (старият спира да работи)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Спиране на абонамента' })).toBeTruthy();
  });
});
