import type { ApiClient } from '../api/client';
import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError } from '../api/problem';
import type { Me, SessionInfo, SignInRequest } from '../api/types';
import { Store } from './store';

// Where the person stands: which one screen the app may show.
//  loading          - asking the server whether a session exists
//  unavailable      - the server could not be asked (offline, 5xx)
//  signed-out       - the sign-in screen
//  password-change  - only the "change your one-time password" screen
//  totp-enrollment  - only the "set up two-step verification" screen
//  ready            - the workspace; `me` is set
export type SessionPhase =
  | 'loading'
  | 'unavailable'
  | 'signed-out'
  | 'password-change'
  | 'totp-enrollment'
  | 'ready';

// Why the person is on the sign-in screen, to tell them.
export type SessionNotice = 'session-expired' | 'signed-out' | null;

export interface SessionState {
  phase: SessionPhase;
  me: Me | null;
  notice: SessionNotice;
}

const kExpiredSlugs = new Set(['unauthenticated', 'session-expired']);

// The session of the person using this browser tab. Plain TypeScript: the
// views watch `state` and call the methods; errors from signIn() reach the
// caller as ApiErrors, every other session-level problem of any request
// (expired session, forced password change) moves the phase here.
export class SessionModel {
  readonly state = new Store<SessionState>({ phase: 'loading', me: null, notice: null });
  // The code this tab signed in with: until the forced steps are done there
  // is no `me` to read it from.
  private signInCode: string | null = null;

  constructor(
    private readonly api: EgovboxApi,
    private readonly client: ApiClient,
  ) {
    client.onError((error) => this.handleProblem(error));
  }

  get phase(): SessionPhase {
    return this.state.get().phase;
  }

  // Whose session this is, for password managers; null when not known (no
  // session, or a reload during a forced step).
  get personalCode(): string | null {
    return this.state.get().me?.code ?? this.signInCode;
  }

  // Finds out whether the session cookie is still good (after a reload).
  async start(): Promise<void> {
    this.state.set({ phase: 'loading', me: null, notice: null });
    try {
      await this.enter(await this.api.getSession());
    } catch (error) {
      if (this.phase !== 'loading') return; // handleProblem moved us already
      if (error instanceof ApiError && error.status === 401) {
        this.becomeSignedOut(null);
      } else {
        this.state.set({ phase: 'unavailable', me: null, notice: null });
      }
    }
  }

  // Throws the server's ApiError (wrong password, TOTP required, ...).
  async signIn(request: SignInRequest): Promise<void> {
    const info = await this.api.signIn(request);
    this.signInCode = request.code;
    await this.enter(info);
  }

  // After the forced password change or TOTP enrolment: the server's flags
  // decide what comes next (and the CSRF token may have been rotated).
  async refresh(): Promise<void> {
    try {
      await this.enter(await this.api.getSession());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.becomeSignedOut('session-expired');
      else throw error;
    }
  }

  async reloadMe(): Promise<void> {
    const me = await this.api.getMe();
    const current = this.state.get();
    if (current.phase === 'ready') this.state.set({ ...current, me });
  }

  async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } catch {
      // Signed out or not on the server, this tab forgets the session.
    }
    this.becomeSignedOut('signed-out');
  }

  // The server already ended this session (the person revoked it).
  sessionEnded(): void {
    this.becomeSignedOut('signed-out');
  }

  private handleProblem(error: ApiError): void {
    const phase = this.phase;
    if (phase === 'signed-out' || phase === 'loading') return;
    if (error.status === 401 && (kExpiredSlugs.has(error.slug) || error.slug === '')) {
      this.becomeSignedOut('session-expired');
    } else if (error.is('password-change-required')) {
      this.state.set({ phase: 'password-change', me: null, notice: null });
    } else if (error.is('totp-enrollment-required')) {
      this.state.set({ phase: 'totp-enrollment', me: null, notice: null });
    }
  }

  private async enter(info: SessionInfo): Promise<void> {
    this.client.setCsrfToken(info.csrf_token);
    if (info.must_change_password) {
      this.state.set({ phase: 'password-change', me: null, notice: null });
    } else if (info.must_enroll_totp) {
      this.state.set({ phase: 'totp-enrollment', me: null, notice: null });
    } else {
      const me = await this.api.getMe();
      this.state.set({ phase: 'ready', me, notice: null });
    }
  }

  private becomeSignedOut(notice: SessionNotice): void {
    this.signInCode = null;
    this.client.setCsrfToken(null);
    this.state.set({ phase: 'signed-out', me: null, notice });
  }
}
