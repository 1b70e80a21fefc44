import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Card } from '../ui/Card';
import { NotificationItem } from '../notifications/NotificationsView';
import notificationStyles from '../notifications/Notifications.module.css';
import styles from './RoomView.module.css';

const kShown = 3;

// The room's "Notifications": the newest unread ones (live), and a link to
// all of them.
export function RecentNotificationsCard() {
  const { t } = useI18n();
  const { notifications } = useServices();
  const state = useStore(notifications.state);
  const unread = state.items.filter((n) => !n.read).slice(0, kShown);
  return (
    <Card title={t('room.notifications.title')}>
      {unread.length === 0 ? (
        <p class={styles.empty}>{t('room.notifications.empty')}</p>
      ) : (
        <ul class={notificationStyles.compactList}>
          {unread.map((item) => (
            <NotificationItem key={String(item.id)} item={item} compact />
          ))}
        </ul>
      )}
      <p class={styles.more}>
        <Link href={kPaths.notifications}>{t('room.notifications.all')}</Link>
      </p>
    </Card>
  );
}
