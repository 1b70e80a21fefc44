import { useEffect, useState } from 'preact/hooks';
import { sameId, type CatalogueEntry } from '../api/types';
import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import styles from './Integrations.module.css';

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; portal: CatalogueEntry }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// What the frame may do: run the portal's scripts in its own origin, send its
// forms, open its links in new tabs; not navigate this page, not download
// without asking, not use the camera (docs/integrations.md).
export const kPortalSandbox = 'allow-scripts allow-same-origin allow-forms allow-popups';

// An embedded portal (/integrations/{id}): the approved portal from the
// person's catalogue in a sandboxed frame. Whether the browser loads the frame
// is the server's Content-Security-Policy's call (frame-src lists the origins
// of approved embeds only); when it refuses, the page says why.
export function PortalView(props: { portalId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [blocked, setBlocked] = useState(false);

  const reload = () =>
    api.integrationCatalogue().then(
      (portals) => {
        const portal = portals.find((entry) => sameId(entry.id, props.portalId));
        setLoad(portal ? { kind: 'loaded', portal } : { kind: 'not-found' });
      },
      (error: unknown) => setLoad({ kind: 'failed', message: errorText(i18n, error) }),
    );
  useEffect(() => void reload(), [props.portalId]);

  const frameOrigin = load.kind === 'loaded' && load.portal.level === 'embed' ? originOf(load.portal.launch_url) : null;
  useEffect(() => {
    if (!frameOrigin) return undefined;
    const listener = (event: SecurityPolicyViolationEvent) => {
      const directive = event.effectiveDirective || event.violatedDirective;
      if (/^(frame|child|default)-src/.test(directive) && originOf(event.blockedURI) === frameOrigin) setBlocked(true);
    };
    document.addEventListener('securitypolicyviolation', listener);
    return () => document.removeEventListener('securitypolicyviolation', listener);
  }, [frameOrigin]);

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'failed') return <LoadFailed message={load.message} onRetry={() => void reload()} />;
  if (load.kind === 'not-found') {
    return (
      <>
        <PageHeading>{t('portal.not_found.title')}</PageHeading>
        <p>{t('portal.not_found.text')}</p>
        <p>
          <Link href={kPaths.room}>{t('portal.back')}</Link>
        </p>
      </>
    );
  }
  const { portal } = load;
  const newTab = (
    <a href={portal.launch_url} target="_blank" rel="noopener noreferrer">
      {t('portal.open_new_tab')}
    </a>
  );
  return (
    <>
      <div class={pageStyles.headingRow}>
        <PageHeading>{portal.name}</PageHeading>
        {newTab}
      </div>
      {portal.purpose ? <p class={pageStyles.lead}>{portal.purpose}</p> : null}
      {portal.level !== 'embed' ? (
        <p>{t('portal.not_embedded')}</p>
      ) : (
        <>
          {blocked ? <Alert tone="error">{t('portal.blocked')}</Alert> : null}
          <iframe
            class={styles.frame}
            src={portal.launch_url}
            title={portal.name}
            sandbox={kPortalSandbox}
            referrerPolicy="no-referrer"
            data-testid="portal-frame"
          />
        </>
      )}
    </>
  );
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
