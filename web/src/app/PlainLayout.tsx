import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import styles from './Layout.module.css';
import { PageFrame } from './PageFrame';

// The frame of the views shown outside the workspace (sign-in, the forced
// password change and TOTP enrolment, loading): no navigation, a narrow
// column. `onSignOut` adds a sign-out button for half-signed-in states.
export function PlainLayout(props: { children: ComponentChildren; onSignOut?: () => void }) {
  const { t } = useI18n();
  const bar = (
    <>
      <Brand linked={false} />
      <div class={styles.plainActions}>
        <LanguageSwitch />
        {props.onSignOut ? (
          <Button variant="secondary" onClick={props.onSignOut}>
            {t('layout.sign_out')}
          </Button>
        ) : null}
      </div>
    </>
  );
  return (
    <PageFrame bar={bar} narrow>
      {props.children}
    </PageFrame>
  );
}
