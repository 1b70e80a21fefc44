import { useI18n } from '../i18n/I18nContext';
import styles from './Layout.module.css';
import { useServices } from './services';
import { useStore } from './use_store';

// A thin line under the header while the WebSocket is down and retrying.
export function ConnectionNotice() {
  const { t } = useI18n();
  const { realtime } = useServices();
  const status = useStore(realtime.status);
  return (
    <div role="status" class={status === 'waiting' ? styles.connectionNotice : 'visually-hidden'}>
      {status === 'waiting' ? t('layout.reconnecting') : ''}
    </div>
  );
}
