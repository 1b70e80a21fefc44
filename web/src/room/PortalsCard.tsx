import { useEffect, useState } from 'preact/hooks';
import type { CatalogueEntry } from '../api/types';
import { integrationPath } from '../app/router';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Card } from '../ui/Card';
import { errorText } from '../ui/problem_text';
import styles from './Portals.module.css';
import roomStyles from './RoomView.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; portals: CatalogueEntry[] } | { kind: 'failed'; message: string };

// The room's "Portals": a tile per approved portal the person may see
// (GET /integrations/catalogue). A link or single sign-on portal opens in a
// new tab (the portal itself starts the sign-in); an embedded one opens its
// page here with a full page load, so that the page comes with the
// Content-Security-Policy of this moment, which allows the frame only while
// the integration is approved.
export function PortalsCard() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  const reload = () =>
    api.integrationCatalogue().then(
      (portals) => setLoad({ kind: 'loaded', portals }),
      (error: unknown) => setLoad({ kind: 'failed', message: errorText(i18n, error) }),
    );
  useEffect(() => void reload(), [api]);
  useReloadOnReconnect(() => void reload());

  let body;
  if (load.kind === 'loading') body = <p role="status">{t('common.loading')}</p>;
  else if (load.kind === 'failed') body = <Alert tone="error">{load.message}</Alert>;
  else if (load.portals.length === 0) body = <p class={roomStyles.empty}>{t('room.portals.empty')}</p>;
  else {
    body = (
      <ul class={styles.tiles}>
        {load.portals.map((portal) => (
          <PortalTile key={String(portal.id)} portal={portal} />
        ))}
      </ul>
    );
  }
  return <Card title={t('room.portals.title')}>{body}</Card>;
}

function PortalTile(props: { portal: CatalogueEntry }) {
  const { t, td } = useI18n();
  const { portal } = props;
  const embedded = portal.level === 'embed';
  const kind = td(`room.portals.kind.${portal.level}`);
  return (
    <li class={styles.tile} data-testid="portal-tile" data-level={portal.level}>
      <h3 class={styles.name}>
        {embedded ? (
          <a href={integrationPath(portal.id)} class={styles.link}>
            {portal.name}
          </a>
        ) : (
          <a href={portal.launch_url} target="_blank" rel="noopener noreferrer" class={styles.link}>
            {portal.name}
            <span class="visually-hidden"> {t('room.portals.new_tab')}</span>
          </a>
        )}
      </h3>
      {portal.purpose ? <p class={styles.purpose}>{portal.purpose}</p> : null}
      {kind ? <p class={styles.kind}>{kind}</p> : null}
    </li>
  );
}
