import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeServices, problem, type FakeRoute } from '../test/harness';
import { ChangePasswordForm } from './ChangePasswordForm';

afterEach(cleanup);

function setup(route: FakeRoute, oneTime = true) {
  const harness = makeServices({ 'POST /me/password': route }, { lang: 'en' });
  harness.services.client.setCsrfToken('tok');
  const onDone = vi.fn();
  harness.render(<ChangePasswordForm oneTime={oneTime} onDone={onDone} />);
  return { ...harness, onDone };
}

function fill(current: string, next: string, repeat: string) {
  fireEvent.input(screen.getByLabelText('Current (one-time) password'), { target: { value: current } });
  fireEvent.input(screen.getByLabelText('New password'), { target: { value: next } });
  fireEvent.input(screen.getByLabelText('Repeat the new password'), { target: { value: repeat } });
  fireEvent.click(screen.getByRole('button', { name: 'Save and continue' }));
}

describe('ChangePasswordForm', () => {
  it('shows the policy before anything is typed', () => {
    setup({ status: 204 });
    const help = document.getElementById('first-password-new-help');
    expect(help?.textContent).toContain('at least 12 and at most 128 characters');
    expect(screen.getByLabelText('New password').getAttribute('aria-describedby')).toContain('first-password-new-help');
  });

  it('catches two different new passwords before the server does', async () => {
    const { calls } = setup({ status: 204 });
    fill('one-time-pass', 'a long new password', 'a long new passw0rd');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The two new passwords do not match.'));
    expect(calls).toHaveLength(0);
  });

  it('lists each violation of a weak password', async () => {
    setup(problem('weak-password', 400, { violations: ['contains-name', 'too-common'] }));
    fill('one-time-pass', 'maria-ivanova-1', 'maria-ivanova-1');
    const alert = await screen.findByRole('alert');
    const items = [...alert.querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'The password contains part of your name.',
      'The password is too common and easy to guess.',
    ]);
  });

  it('sends current and new with the CSRF token, then continues', async () => {
    const { calls, onDone } = setup({ status: 204 });
    fill('one-time-pass', 'a long new password', 'a long new password');
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls[0].body).toEqual({ current: 'one-time-pass', new: 'a long new password' });
    expect(calls[0].headers.get('X-CSRF-Token')).toBe('tok');
  });

  it('names the account for password managers in a hidden username field', async () => {
    const harness = makeServices(
      { 'POST /session': { body: { csrf_token: 'c', must_change_password: true, must_enroll_totp: false } } },
      { lang: 'en' },
    );
    await harness.services.session.signIn({ code: 'K7M4-QX2P', password: 'one-time-pass' });
    harness.render(<ChangePasswordForm oneTime onDone={vi.fn()} />);
    const username = document.querySelector<HTMLInputElement>('input[name="username"]');
    expect(username?.getAttribute('autocomplete')).toBe('username');
    expect(username?.value).toBe('K7M4-QX2P');
    expect(username?.hidden).toBe(true);
    expect(username?.readOnly).toBe(true);
  });
});
