import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import styles from './Notifications.module.css';
import layout from '../app/Layout.module.css';

// The bell in the header: a link to the notifications, named with the
// unread count ("Известия: 3 непрочетени"); the number is shown on the bell.
export function NotificationBell(props: { current: boolean }) {
  const { t, tp } = useI18n();
  const { notifications } = useServices();
  const { unread } = useStore(notifications.state);
  const label = unread > 0 ? tp('notifications.bell_unread', unread) : t('notifications.bell');
  return (
    <Link
      href={kPaths.notifications}
      class={classes(layout.headerButton, layout.bellSlot, styles.bell)}
      aria-label={label}
      aria-current={props.current ? 'page' : undefined}
      data-testid="notification-bell"
    >
      <svg class={styles.bellIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0"
          fill="none"
          stroke="currentColor"
          stroke-width="1.8"
          stroke-linejoin="round"
        />
      </svg>
      {unread > 0 ? (
        <span class={styles.count} aria-hidden="true" data-testid="notification-count">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Link>
  );
}
