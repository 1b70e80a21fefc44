import { ApiError } from '../api/problem';
import { useI18n, type I18n } from '../i18n/I18nContext';
import { Alert } from './Alert';
import { Button } from './Button';
import { errorText } from './problem_text';

// What a view shows in place of what it could not load: the reason, and
// "Try again".
export function LoadFailed(props: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <Alert tone="error">{props.message}</Alert>
      <Button variant="secondary" onClick={props.onRetry}>
        {t('common.retry')}
      </Button>
    </>
  );
}

export type RecordLoadFailure = { kind: 'not-found' } | { kind: 'failed'; message: string };

// The state of a record's page after its GET failed, for setState: a 404 is
// "not found"; another error keeps a record already shown (a reload in the
// background), or else is shown with LoadFailed.
export function afterLoadError<L extends { kind: string }>(i18n: I18n, error: unknown): (old: L) => L | RecordLoadFailure {
  if (error instanceof ApiError && error.status === 404) return () => ({ kind: 'not-found' });
  return (old) => (old.kind === 'loaded' ? old : { kind: 'failed', message: errorText(i18n, error) });
}
