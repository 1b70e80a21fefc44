import { ApiError } from '../api/problem';
import type { I18n } from '../i18n/I18nContext';

// What to tell the person about a failed request: the server's own
// localised detail when it sent one, otherwise a generic sentence.
export function problemText(i18n: I18n, error: ApiError): string {
  if (error.is('network-error')) return i18n.t('error.network');
  return error.detail ?? i18n.t('error.generic', { status: error.status });
}

// The same for anything a request threw: a problem's text, or "unexpected
// error" for what is not an ApiError (a bug, a malformed answer).
export function errorText(i18n: I18n, error: unknown): string {
  return error instanceof ApiError ? problemText(i18n, error) : i18n.t('error.unexpected');
}
