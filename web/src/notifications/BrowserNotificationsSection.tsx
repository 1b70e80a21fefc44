import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import styles from './Notifications.module.css';

// The browser's own notifications: asked for only when the person presses
// the button, never on load.
export function BrowserNotificationsSection() {
  const { t } = useI18n();
  const { notifications } = useServices();
  const permission = useStore(notifications.permission);
  return (
    <div class={styles.browser}>
      <Card title={t('notifications.browser.title')}>
        <p>{t('notifications.browser.explain')}</p>
        {permission === 'default' ? (
          <Button onClick={() => void notifications.requestPermission()}>{t('notifications.browser.enable')}</Button>
        ) : permission === 'granted' ? (
          <Alert tone="success">{t('notifications.browser.granted')}</Alert>
        ) : permission === 'denied' ? (
          <Alert tone="info">{t('notifications.browser.denied')}</Alert>
        ) : (
          <Alert tone="info">{t('notifications.browser.unsupported')}</Alert>
        )}
      </Card>
    </div>
  );
}
