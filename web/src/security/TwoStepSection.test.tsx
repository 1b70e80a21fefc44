import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Me } from '../api/types';
import { kMe, makeServices, problem, type FakeRoute } from '../test/harness';
import { TwoStepSection } from './TwoStepSection';

afterEach(cleanup);

function setup(me: Me, routes: Record<string, FakeRoute> = {}) {
  const harness = makeServices(
    {
      'POST /me/totp': {
        body: { secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP', qr_svg: '<svg/>' },
      },
      'POST /me/totp/confirm': (request) =>
        (request.body as { totp: string }).totp === '123456'
          ? { body: { recovery_codes: ['aaaa-bbbb', 'cccc-dddd'] } }
          : problem('invalid-totp', 400),
      'GET /me': { body: { ...me, totp_enabled: true } },
      ...routes,
    },
    { lang: 'en' },
  );
  harness.services.session.state.set({ phase: 'ready', me, notice: null });
  harness.render(<TwoStepSection me={me} />);
  return harness;
}

describe('TwoStepSection', () => {
  it('enrols: QR code, secret, code check, recovery codes once', async () => {
    setup(kMe);
    fireEvent.click(screen.getByRole('button', { name: 'Turn on two-step verification' }));
    const qr = await screen.findByRole('img', { name: 'QR code that adds eGov box to the authenticator app' });
    expect(qr.getAttribute('src')).toBe(`data:image/svg+xml;base64,${btoa('<svg/>')}`);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('6-digit code'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('detail:invalid-totp'));
    fireEvent.input(screen.getByLabelText('6-digit code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await screen.findByRole('heading', { name: 'Recovery codes' });
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['aaaa-bbbb', 'cccc-dddd']);
    fireEvent.click(screen.getByRole('button', { name: 'I have saved the codes' }));
    await screen.findByText('Two-step verification is now on.');
  });

  it('does not offer to switch it off where it is mandatory', () => {
    setup({ ...kMe, roles: ['employee', 'security_officer'], totp_enabled: true });
    expect(screen.getByText('Two-step verification is required for your role and cannot be turned off.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Turn off two-step verification' })).toBeNull();
  });

  it('switches it off with the password', async () => {
    const { calls } = setup(
      { ...kMe, totp_enabled: true },
      { 'DELETE /me/totp': { status: 204 }, 'GET /me': { body: kMe } },
    );
    fireEvent.input(screen.getByLabelText('Password to confirm'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn off two-step verification' }));
    await screen.findByText('Two-step verification is now off.');
    expect(calls.find((c) => c.method === 'DELETE')?.body).toEqual({ password: 'secret' });
  });
});
