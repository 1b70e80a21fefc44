import type { Me } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { Card } from '../ui/Card';
import { PageHeading } from '../ui/PageHeading';
import { EnterMyRoom } from './EnterMyRoom';
import { PortalsCard } from './PortalsCard';
import { RecentNotificationsCard } from './RecentNotificationsCard';
import styles from './RoomView.module.css';
import { UpcomingMeetingsCard } from './UpcomingMeetingsCard';

// The personal room (S1, S2): the person's own page, with "Enter my room",
// the coming meetings (countdown, join), the newest notifications and the
// portals the person may open. Documents come later.
export function RoomView(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = props;
  const roles = me.roles.map((role) => i18n.td(`role.${role}`) ?? role).join(', ');
  return (
    <>
      <div class={styles.intro}>
        <PageHeading>{t('room.title')}</PageHeading>
        <p class={styles.greeting}>{t('room.greeting', { name: me.name })}</p>
        <dl class={styles.profile}>
          {me.position ? (
            <div>
              <dt>{t('profile.position')}</dt>
              <dd>{me.position}</dd>
            </div>
          ) : null}
          {me.department ? (
            <div>
              <dt>{t('profile.department')}</dt>
              <dd>{me.department.name}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('profile.code')}</dt>
            <dd>
              <code class={styles.code}>{me.code}</code>
            </dd>
          </div>
          {roles ? (
            <div>
              <dt>{t('profile.roles')}</dt>
              <dd>{roles}</dd>
            </div>
          ) : null}
        </dl>
        <EnterMyRoom />
      </div>
      <div class={styles.cards}>
        <UpcomingMeetingsCard />
        <Card title={t('room.documents.title')}>
          <p class={styles.empty}>{t('room.documents.empty')}</p>
        </Card>
        <RecentNotificationsCard />
      </div>
      <div class={styles.portals}>
        <PortalsCard />
      </div>
    </>
  );
}
