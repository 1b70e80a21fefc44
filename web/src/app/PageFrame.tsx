import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/I18nContext';
import styles from './Layout.module.css';
import { kMainId, SkipLink } from './SkipLink';

// What every layout has: skip link, a header bar (its content is the
// layout's), <main> as wide as the workspace or narrow, footer.
// `notice` sits under the header bar; `overlay` (dialogs, live region) after
// the footer.
export function PageFrame(props: {
  bar: ComponentChildren;
  narrow: boolean;
  notice?: ComponentChildren;
  overlay?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <div class={styles.page}>
      <SkipLink class={styles.skipLink} />
      <header class={styles.header}>
        <div class={styles.bar}>{props.bar}</div>
        {props.notice}
      </header>
      <main id={kMainId} tabIndex={-1} class={props.narrow ? styles.narrowMain : styles.main}>
        {props.children}
      </main>
      <footer class={styles.footer}>
        <p>
          {t('app.name')} · {t('app.organisation')}
        </p>
      </footer>
      {props.overlay}
    </div>
  );
}
