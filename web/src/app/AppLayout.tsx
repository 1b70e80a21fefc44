import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Me } from '../api/types';
import { CallDialogs } from '../calls/CallDialogs';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/i18n';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import { NotificationBell } from '../notifications/NotificationBell';
import { KnockDialog } from '../rooms/KnockDialog';
import { Brand } from './Brand';
import { ConnectionNotice } from './ConnectionNotice';
import { DoNotDisturbToggle } from './DoNotDisturbToggle';
import { LanguageSwitch } from './LanguageSwitch';
import styles from './Layout.module.css';
import { Link } from './Link';
import { LiveRegion } from './LiveRegion';
import { PageFrame } from './PageFrame';
import { kHallManagerRoles, kIntegrationRoles } from './roles';
import { kPaths, routeOf, type RouteName } from './router';
import { useServices } from './services';
import { useStore } from './use_store';

interface NavItem {
  routes: RouteName[];
  path: string;
  label: MessageKey;
  // Shown only to people with one of these roles.
  roles?: string[];
}

const kNavItems: NavItem[] = [
  { routes: ['room'], path: kPaths.room, label: 'nav.room' },
  { routes: ['meetings', 'meeting', 'meeting-new', 'meeting-edit', 'meeting-live'], path: kPaths.meetings, label: 'nav.meetings' },
  { routes: ['documents', 'document', 'document-new'], path: kPaths.documents, label: 'nav.documents' },
  { routes: ['colleagues'], path: kPaths.colleagues, label: 'nav.colleagues' },
  { routes: ['security'], path: kPaths.security, label: 'nav.security' },
  { routes: ['halls'], path: kPaths.halls, label: 'nav.halls', roles: kHallManagerRoles },
  {
    routes: ['integrations', 'integration-new', 'integration-details'],
    path: kPaths.integrations,
    label: 'nav.integrations',
    roles: kIntegrationRoles,
  },
];

// The frame of every signed-in view: skip link, header with navigation,
// notifications bell and account controls, <main>, footer; the call and
// knock dialogs and the live region. On narrow screens the navigation folds
// behind a "Menu" button (the bell stays beside it).
export function AppLayout(props: { me: Me; children: ComponentChildren }) {
  const { t } = useI18n();
  const { router, session } = useServices();
  const path = useStore(router.path);
  const current = routeOf(path);
  const navItems = kNavItems.filter((item) => !item.roles || item.roles.some((role) => props.me.roles.includes(role)));
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  // Each navigation closes the menu.
  useEffect(() => setMenuOpen(false), [path]);

  const bar = (
    <>
      <Brand linked />
      <NotificationBell current={current === 'notifications'} />
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
            {navItems.map((item) => (
              <li key={item.path}>
                <Link
                  href={item.path}
                  class={styles.navLink}
                  aria-current={item.routes.includes(current) ? 'page' : undefined}
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
            {props.me.name}
          </span>
          <DoNotDisturbToggle />
          <LanguageSwitch />
          <Button variant="secondary" onClick={() => void session.signOut()}>
            {t('layout.sign_out')}
          </Button>
        </div>
      </div>
    </>
  );
  return (
    <PageFrame
      bar={bar}
      narrow={false}
      notice={<ConnectionNotice />}
      overlay={
        <>
          <LiveRegion />
          <CallDialogs />
          <KnockDialog />
        </>
      }
    >
      {props.children}
    </PageFrame>
  );
}
