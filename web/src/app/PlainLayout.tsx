import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import styles from './Layout.module.css';
import { kMainId, SkipLink } from './SkipLink';

// The frame of the views shown outside the workspace (sign-in, the forced
// password change and TOTP enrolment, loading): no navigation, a narrow
// column. `onSignOut` adds a sign-out button for half-signed-in states.
export function PlainLayout(props: { children: ComponentChildren; onSignOut?: () => void }) {
  const { t } = useI18n();
  return (
    <div class={styles.page}>
      <SkipLink class={styles.skipLink} />
      <header class={styles.header}>
        <div class={styles.bar}>
          <Brand linked={false} />
          <div class={styles.plainActions}>
            <LanguageSwitch />
            {props.onSignOut ? (
              <Button variant="secondary" onClick={props.onSignOut}>
                {t('layout.sign_out')}
              </Button>
            ) : null}
          </div>
        </div>
      </header>
      <main id={kMainId} tabIndex={-1} class={styles.narrowMain}>
        {props.children}
      </main>
      <footer class={styles.footer}>
        <p>
          {t('app.name')} · {t('app.organisation')}
        </p>
      </footer>
    </div>
  );
}
