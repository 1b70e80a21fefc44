import { useEffect, useState } from 'preact/hooks';
import type { Integration, Me } from '../api/types';
import { Link } from '../app/Link';
import { canRequestIntegrations, canSeeIntegrations } from '../app/roles';
import { integrationDetailsPath, kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import { LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { LevelBadge, StatusBadge } from './IntegrationBadges';
import { isRequester, requesterOf } from './integration_labels';
import styles from './Integrations.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; integrations: Integration[] } | { kind: 'failed'; message: string };

// The integrations (administrators and security officers): the review queue
// first, the requests awaiting a decision, oldest first; then every other
// integration, the latest change first. Administrators request new ones.
export function IntegrationsView(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const allowed = canSeeIntegrations(props.me.roles);

  const reload = () =>
    api.listIntegrations().then(
      (integrations) => setLoad({ kind: 'loaded', integrations }),
      (error: unknown) => setLoad((old) => (old.kind === 'loaded' ? old : { kind: 'failed', message: errorText(i18n, error) })),
    );
  useEffect(() => {
    if (allowed) void reload();
  }, [allowed]);
  useReloadOnReconnect(() => {
    if (allowed) void reload();
  });

  if (!allowed) {
    return (
      <>
        <PageHeading>{t('integrations.title')}</PageHeading>
        <Alert tone="info">{t('integrations.forbidden')}</Alert>
      </>
    );
  }

  let body;
  if (load.kind === 'loading') body = <p role="status">{t('common.loading')}</p>;
  else if (load.kind === 'failed') body = <LoadFailed message={load.message} onRetry={() => void reload()} />;
  else {
    const { pending, others } = queueOf(load.integrations);
    body = (
      <div class={pageStyles.sections}>
        <Card title={t('integrations.pending.title')}>
          <IntegrationList items={pending} me={props.me} empty={t('integrations.pending.empty')} />
        </Card>
        <Card title={t('integrations.others.title')}>
          <IntegrationList items={others} me={props.me} empty={t('integrations.others.empty')} />
        </Card>
      </div>
    );
  }
  return (
    <>
      <div class={classes(pageStyles.headingRow, styles.headingRow)}>
        <PageHeading>{t('integrations.title')}</PageHeading>
        {canRequestIntegrations(props.me.roles) ? (
          <Link href={kPaths.integrationNew} class={buttonClass()}>
            {t('integrations.new')}
          </Link>
        ) : null}
      </div>
      <p class={pageStyles.lead}>{t('integrations.lead')}</p>
      {body}
    </>
  );
}

// The review queue: pending requests, oldest first; the rest, latest first.
export function queueOf(integrations: Integration[]): { pending: Integration[]; others: Integration[] } {
  const time = (integration: Integration) => Date.parse(integration.updated_at ?? integration.requested_at) || 0;
  const pending = integrations
    .filter((integration) => integration.status === 'pending')
    .sort((a, b) => (Date.parse(a.requested_at) || 0) - (Date.parse(b.requested_at) || 0));
  const others = integrations.filter((integration) => integration.status !== 'pending').sort((a, b) => time(b) - time(a));
  return { pending, others };
}

function IntegrationList(props: { items: Integration[]; me: Me; empty: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (props.items.length === 0) return <p class={pageStyles.muted}>{props.empty}</p>;
  return (
    <ul class={listStyles.list}>
      {props.items.map((integration) => {
        const requester = requesterOf(integration);
        const mine = isRequester(integration, props.me.id);
        return (
          <li
            key={String(integration.id)}
            class={classes(listStyles.item, styles.item, integration.status !== 'approved' && integration.status !== 'pending' && listStyles.itemMuted)}
            data-testid="integration"
          >
            <div class={styles.itemHead}>
              <h3 class={styles.itemTitle}>
                <Link href={integrationDetailsPath(integration.id)}>{integration.name}</Link>
              </h3>
              <p class={listStyles.badges}>
                <StatusBadge status={integration.status} />
                <LevelBadge level={integration.level} />
                {mine ? <span class={listStyles.badge}>{t('integrations.mine')}</span> : null}
              </p>
            </div>
            <p class={classes(listStyles.facts, styles.facts)}>
              <span>{t('integrations.owner', { owner: integration.owner })}</span>
              <span>
                {requester && requester.name
                  ? t('integrations.requested', { name: requester.name, time: i18n.dateTime(integration.requested_at) })
                  : t('integrations.requested_at', { time: i18n.dateTime(integration.requested_at) })}
              </span>
            </p>
          </li>
        );
      })}
    </ul>
  );
}
