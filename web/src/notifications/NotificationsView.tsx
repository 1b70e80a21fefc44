import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppNotification } from '../api/types';
import { Link } from '../app/Link';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { notificationTarget, notificationText } from '../state/notification_text';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import { LoadFailed } from '../ui/LoadFailed';
import { PageHeading } from '../ui/PageHeading';
import { errorText, problemText } from '../ui/problem_text';
import { BrowserNotificationsSection } from './BrowserNotificationsSection';
import styles from './Notifications.module.css';

// The notification centre: newest first, unread ones marked, each with
// "Mark as read"; "Mark all as read"; older pages on demand. New ones arrive
// live at the top (and are read out by the layout's live region).
export function NotificationsView() {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const { notifications } = useServices();
  const state = useStore(notifications.state);
  const [error, setError] = useState<string | null>(null);
  const listTop = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === 'idle' || state.status === 'error') void notifications.load();
  }, [notifications]);

  const run = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(errorText(i18n, caught));
    }
  };

  return (
    <>
      <PageHeading>{t('notifications.title')}</PageHeading>
      <div class={styles.toolbar}>
        <p class={styles.summary}>
          {state.unread > 0 ? tp('notifications.unread', state.unread) : t('notifications.all_read')}
        </p>
        {state.unread > 0 ? (
          <Button
            variant="secondary"
            onClick={() =>
              void run(async () => {
                await notifications.markAllRead();
                listTop.current?.focus();
              })
            }
          >
            {t('notifications.mark_all_read')}
          </Button>
        ) : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {state.status === 'error' && state.error ? (
        <LoadFailed message={problemText(i18n, state.error)} onRetry={() => void notifications.load()} />
      ) : null}
      {state.status === 'loading' && state.items.length === 0 ? <p role="status">{t('common.loading')}</p> : null}
      <div ref={listTop} tabIndex={-1}>
        {state.status === 'loaded' && state.items.length === 0 ? <p>{t('notifications.empty')}</p> : null}
        {state.items.length > 0 ? (
          <ul class={styles.list} aria-label={t('notifications.list')}>
            {state.items.map((item) => (
              <NotificationItem key={String(item.id)} item={item} onRead={() => void run(() => notifications.markRead(item.id))} />
            ))}
          </ul>
        ) : null}
      </div>
      {state.hasMore ? (
        <Button variant="secondary" onClick={() => void run(() => notifications.loadMore())}>
          {t('notifications.load_more')}
        </Button>
      ) : null}
      <BrowserNotificationsSection />
    </>
  );
}

export function NotificationItem(props: { item: AppNotification; onRead?: () => void; compact?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { item } = props;
  const text = notificationText(i18n.lang, item);
  const target = notificationTarget(item);
  return (
    <li class={classes(styles.item, !item.read && styles.unread)} data-testid="notification">
      <div class={styles.body}>
        <p class={styles.text}>
          {!item.read ? <span class={styles.badge}>{t('notifications.new_badge')}</span> : null}
          {target ? <Link href={target}>{text}</Link> : text}
        </p>
        <p class={styles.time}>
          <time dateTime={item.created_at}>{i18n.dateTime(item.created_at)}</time>
        </p>
      </div>
      {!item.read && props.onRead ? (
        <Button variant="quiet" onClick={props.onRead} aria-label={t('notifications.mark_read_named', { text })}>
          {t('notifications.mark_read')}
        </Button>
      ) : null}
    </li>
  );
}
