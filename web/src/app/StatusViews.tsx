import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { PageHeading } from '../ui/PageHeading';
import { PlainLayout } from './PlainLayout';

// While the app asks the server whether there is a session.
export function LoadingView() {
  const { t } = useI18n();
  return (
    <PlainLayout>
      <h1 class="visually-hidden">{t('app.name')}</h1>
      <p role="status">{t('common.loading')}</p>
    </PlainLayout>
  );
}

// The server could not be reached on start-up.
export function UnavailableView(props: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <PlainLayout>
      <PageHeading>{t('unavailable.title')}</PageHeading>
      <Alert tone="error">{t('unavailable.text')}</Alert>
      <Button onClick={props.onRetry}>{t('common.retry')}</Button>
    </PlainLayout>
  );
}
