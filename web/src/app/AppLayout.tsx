import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/i18n';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';
import styles from './Layout.module.css';
import { Link } from './Link';
import { PageFrame } from './PageFrame';
import { kPaths, routeOf, type RouteName } from './router';
import { useServices } from './services';
import { useStore } from './use_store';

const kNavItems: Array<{ route: RouteName; path: string; label: MessageKey }> = [
  { route: 'room', path: kPaths.room, label: 'nav.room' },
  { route: 'colleagues', path: kPaths.colleagues, label: 'nav.colleagues' },
  { route: 'security', path: kPaths.security, label: 'nav.security' },
];

// The frame of every signed-in view: skip link, header with navigation and
// account controls, <main>, footer. On narrow screens the navigation folds
// behind a "Menu" button.
export function AppLayout(props: { userName: string; children: ComponentChildren }) {
  const { t } = useI18n();
  const { router, session } = useServices();
  const path = useStore(router.path);
  const current = routeOf(path);
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  // Each navigation closes the menu.
  useEffect(() => setMenuOpen(false), [path]);

  const bar = (
    <>
      <Brand linked />
      <button
        ref={menuButton}
        type="button"
        class={classes(styles.headerButton, styles.menuButton)}
        aria-expanded={menuOpen ? 'true' : 'false'}
        aria-controls="site-menu"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        <svg class={styles.menuIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M4 7h16M4 12h16M4 17h16" stroke="currentColor" stroke-width="2" />
        </svg>
        {t('nav.menu')}
      </button>
      <div
        id="site-menu"
        class={classes(styles.menu, menuOpen && styles.menuOpen)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && menuOpen) {
            setMenuOpen(false);
            menuButton.current?.focus();
          }
        }}
      >
        <nav aria-label={t('nav.label')}>
          <ul class={styles.navList}>
            {kNavItems.map((item) => (
              <li key={item.route}>
                <Link
                  href={item.path}
                  class={styles.navLink}
                  aria-current={current === item.route ? 'page' : undefined}
                >
                  {t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class={styles.account}>
          <span class={styles.userName}>
            <span class="visually-hidden">{t('layout.signed_in_as')} </span>
            {props.userName}
          </span>
          <LanguageSwitch />
          <Button variant="secondary" onClick={() => void session.signOut()}>
            {t('layout.sign_out')}
          </Button>
        </div>
      </div>
    </>
  );
  return (
    <PageFrame bar={bar} narrow={false}>
      {props.children}
    </PageFrame>
  );
}
