import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { kMe, kSignedIn, makeServices, problem, type FakeRoute } from '../test/harness';
import { SignInView } from './SignInView';

afterEach(cleanup);

function setup(signIn: FakeRoute, lang: 'bg' | 'en' = 'bg') {
  const harness = makeServices({ 'POST /session': signIn, 'GET /me': { body: kMe } }, { lang, path: '/signin' });
  harness.services.session.state.set({ phase: 'signed-out', me: null, notice: null });
  harness.render(<SignInView notice={null} />);
  return harness;
}

function fill(label: string, value: string) {
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
}

describe('SignInView', () => {
  it('has one heading and labelled fields with the right autocomplete', () => {
    setup(kSignedIn);
    expect(screen.getAllByRole('heading', { level: 1 }).map((h) => h.textContent)).toEqual(['Вход']);
    const code = screen.getByLabelText('Личен код');
    expect(code.getAttribute('autocomplete')).toBe('username');
    expect(code.getAttribute('autocapitalize')).toBe('characters');
    expect(screen.getByLabelText('Парола').getAttribute('autocomplete')).toBe('current-password');
  });

  it('asks for the missing fields without calling the server', async () => {
    const { calls } = setup(kSignedIn);
    fireEvent.click(screen.getByRole('button', { name: 'Вход' }));
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(2));
    const code = screen.getByLabelText('Личен код');
    expect(code.getAttribute('aria-invalid')).toBe('true');
    const described = code.getAttribute('aria-describedby') ?? '';
    expect(described).toContain('signin-code-error');
    expect(document.getElementById('signin-code-error')?.textContent).toBe('Въведете личния си код.');
    expect(calls).toHaveLength(0);
  });

  it('signs in with a tidied personal code', async () => {
    const { calls, services } = setup(kSignedIn);
    fill('Личен код', 'k7m4 qx2p');
    fill('Парола', 'тайна парола');
    fireEvent.click(screen.getByRole('button', { name: 'Вход' }));
    await waitFor(() => expect(services.session.phase).toBe('ready'));
    expect(calls[0].body).toEqual({ code: 'K7M4-QX2P', password: 'тайна парола' });
    expect(calls[0].headers.get('Accept-Language')).toBe('bg');
  });

  it('shows the server detail for a mistyped code on the code field', async () => {
    setup(problem('personal-code-typo', 400));
    fill('Личен код', 'K7M4-QX2Q');
    fill('Парола', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Вход' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('detail:personal-code-typo'));
    expect(screen.getByLabelText('Личен код').getAttribute('aria-invalid')).toBe('true');
  });

  it('asks for the authenticator code when the server wants one', async () => {
    let attempt = 0;
    const { calls, services } = setup(() => (++attempt === 1 ? problem('totp-required', 401) : kSignedIn), 'en');
    fill('Personal code', 'K7M4-QX2P');
    fill('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const totp = await screen.findByLabelText('Verification code');
    expect(totp.getAttribute('inputmode')).toBe('numeric');
    expect(totp.getAttribute('autocomplete')).toBe('one-time-code');
    expect(screen.getByRole('heading', { name: 'Two-step verification' })).toBeTruthy();
    fireEvent.input(totp, { target: { value: '123 456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(services.session.phase).toBe('ready'));
    expect(calls[1].body).toEqual({ code: 'K7M4-QX2P', password: 'secret', totp: '123456' });
  });

  it('offers a recovery code instead', async () => {
    const { calls } = setup(problem('totp-required', 401), 'en');
    fill('Personal code', 'K7M4-QX2P');
    fill('Password', 'secret');
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Use a recovery code instead' }));
    // Not the TOTP field's <input> reused: its maxlength would stay behind (as 0).
    expect(screen.getByLabelText('Recovery code').hasAttribute('maxlength')).toBe(false);
    fill('Recovery code', 'abcd-efgh-ijkl');
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].body).toEqual({ code: 'K7M4-QX2P', password: 'secret', recovery_code: 'abcd-efgh-ijkl' });
    // And back: the TOTP field has its limit again.
    fireEvent.click(screen.getByRole('button', { name: 'Use a code from the app instead' }));
    expect(screen.getByLabelText('Verification code').getAttribute('maxlength')).toBe('7');
  });

  it('says how long to wait after too many attempts', async () => {
    setup(problem('too-many-attempts', 429, { retry_after: 120 }));
    fill('Личен код', 'K7M4-QX2P');
    fill('Парола', 'x');
    fireEvent.click(screen.getByRole('button', { name: 'Вход' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('detail:too-many-attempts Опитайте отново след 2 минути.'),
    );
    expect(screen.getByRole('button', { name: 'Вход' }).getAttribute('aria-disabled')).toBe('true');
  });
});
