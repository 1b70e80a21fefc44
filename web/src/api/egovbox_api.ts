import type { ApiClient } from './client';
import type {
  Department,
  Employee,
  ItemList,
  Me,
  RecoveryCodes,
  SessionInfo,
  SessionItem,
  SignInRequest,
  TotpEnrolment,
} from './types';

// The endpoints of /api/v1, one method each. Errors are ApiErrors.
export class EgovboxApi {
  constructor(private readonly client: ApiClient) {}

  getSession(): Promise<SessionInfo> {
    return this.client.request('GET', '/session', { quiet: true });
  }

  signIn(request: SignInRequest): Promise<SessionInfo> {
    return this.client.request('POST', '/session', { body: request, quiet: true });
  }

  signOut(): Promise<void> {
    return this.client.request('DELETE', '/session', { quiet: true });
  }

  getMe(): Promise<Me> {
    return this.client.request('GET', '/me');
  }

  changePassword(current: string, next: string): Promise<void> {
    return this.client.request('POST', '/me/password', { body: { current, new: next } });
  }

  listSessions(): Promise<ItemList<SessionItem>> {
    return this.client.request('GET', '/me/sessions');
  }

  revokeSession(id: string): Promise<void> {
    return this.client.request('DELETE', `/me/sessions/${encodeURIComponent(id)}`);
  }

  startTotp(): Promise<TotpEnrolment> {
    return this.client.request('POST', '/me/totp');
  }

  confirmTotp(totp: string): Promise<RecoveryCodes> {
    return this.client.request('POST', '/me/totp/confirm', { body: { totp } });
  }

  disableTotp(password: string): Promise<void> {
    return this.client.request('DELETE', '/me/totp', { body: { password } });
  }

  searchEmployees(
    query: { q?: string; department?: string },
    signal?: AbortSignal,
  ): Promise<ItemList<Employee>> {
    return this.client.request('GET', '/employees', {
      query: { q: query.q, department: query.department },
      signal,
    });
  }

  listDepartments(): Promise<ItemList<Department>> {
    return this.client.request('GET', '/departments');
  }
}
