import { useState } from 'preact/hooks';
import type { Me } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Card } from '../ui/Card';
import { PageHeading } from '../ui/PageHeading';
import { CalendarFeedSection } from './CalendarFeedSection';
import { ChangePasswordForm } from './ChangePasswordForm';
import styles from './Security.module.css';
import { SessionsList } from './SessionsList';
import { TwoStepSection } from './TwoStepSection';

export function SecurityView(props: { me: Me }) {
  const { t } = useI18n();
  const { session } = useServices();
  // Bumped after a password change: the server may have ended other sessions.
  const [sessionsKey, setSessionsKey] = useState(0);
  return (
    <>
      <PageHeading>{t('security.title')}</PageHeading>
      <p class={styles.lead}>{t('security.lead')}</p>
      <div class={styles.sections}>
        <Card title={t('security.sessions.title')}>
          <SessionsList reloadKey={sessionsKey} />
        </Card>
        <Card title={t('security.two_step.title')}>
          <TwoStepSection me={props.me} />
        </Card>
        <Card title={t('security.password.title')}>
          <ChangePasswordForm
            onDone={async () => {
              // The server may rotate the CSRF token with the password.
              await session.refresh();
              setSessionsKey((key) => key + 1);
            }}
          />
        </Card>
        <Card title={t('calendar_feed.title')}>
          <CalendarFeedSection />
        </Card>
      </div>
    </>
  );
}
