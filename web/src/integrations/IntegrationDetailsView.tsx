import { useEffect, useRef, useState } from 'preact/hooks';
import type { Department, Integration, Me } from '../api/types';
import { Link } from '../app/Link';
import { canDecideIntegrations, canSeeIntegrations } from '../app/roles';
import { integrationPath, kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import { afterLoadError, LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { DecisionDialog } from './DecisionDialog';
import { LevelBadge, StatusBadge } from './IntegrationBadges';
import { decisionsFor, isStopping, kDecisionAction, type Decision } from './integration_decisions';
import { actionName, actorNameOf, isRequester, levelName, requesterOf, roleName, scopeName } from './integration_labels';
import styles from './Integrations.module.css';
import { SecretPanel, type ShownSecret } from './SecretPanel';

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; integration: Integration }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// An integration's page (administrators and security officers): the full
// request, its state, the decision history, and for a security officer who
// did not request it the decisions its state allows, each after a
// confirmation. The client secret or API token made by an approval is shown
// here once.
export function IntegrationDetailsView(props: { me: Me; integrationId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [departments, setDepartments] = useState<Department[]>([]);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [decisionError, setDecisionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [focus, setFocus] = useState<{ target: 'top' | 'secret' } | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const secretHeading = useRef<HTMLHeadingElement>(null);
  const allowed = canSeeIntegrations(props.me.roles);

  const reload = () =>
    api.getIntegration(props.integrationId).then(
      (integration) => setLoad({ kind: 'loaded', integration }),
      (error: unknown) => setLoad(afterLoadError<Load>(i18n, error)),
    );
  useEffect(() => {
    if (!allowed) return;
    void reload();
    // Only for the names of the departments it is shown to.
    api.listDepartments().then(
      (list) => setDepartments(list.items),
      () => undefined,
    );
  }, [props.integrationId, allowed]);
  useEffect(() => {
    if (focus?.target === 'secret') secretHeading.current?.focus();
    else if (focus?.target === 'top') top.current?.focus();
  }, [focus]);

  if (!allowed) {
    return (
      <>
        <PageHeading>{t('integrations.title')}</PageHeading>
        <Alert tone="info">{t('integrations.forbidden')}</Alert>
      </>
    );
  }
  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'failed') return <LoadFailed message={load.message} onRetry={() => void reload()} />;
  if (load.kind === 'not-found') {
    return (
      <>
        <PageHeading>{t('integration.not_found.title')}</PageHeading>
        <p>{t('integration.not_found.text')}</p>
        <p>
          <Link href={kPaths.integrations}>{t('integration.back')}</Link>
        </p>
      </>
    );
  }

  const { integration } = load;
  const officer = canDecideIntegrations(props.me.roles);
  const own = isRequester(integration, props.me.id);
  const possible = decisionsFor(integration.status);
  const requester = requesterOf(integration);

  const decide = async (decision: Decision, reason: string) => {
    if (busy) return;
    setBusy(true);
    setDecisionError(null);
    let made: ShownSecret | null = null;
    let decided: Integration;
    try {
      if (decision === 'approve') {
        const answer = await api.approveIntegration(integration.id);
        decided = answer.integration;
        if (answer.credentials.client_secret) made = { kind: 'client_secret', value: answer.credentials.client_secret };
        else if (answer.credentials.api_token) {
          made = { kind: 'api_token', value: answer.credentials.api_token, expiresAt: answer.credentials.expires_at };
        }
      } else if (decision === 'reject') decided = await api.rejectIntegration(integration.id, reason);
      else if (decision === 'suspend') decided = await api.suspendIntegration(integration.id, reason);
      else if (decision === 'reinstate') decided = await api.reinstateIntegration(integration.id);
      else decided = await api.revokeIntegration(integration.id, reason);
    } catch (error) {
      setDecisionError(errorText(i18n, error));
      return;
    } finally {
      setBusy(false);
    }
    setDeciding(null);
    setSecret(made);
    setNotice(t(`integration.done.${kDecisionAction[decision]}`, { name: integration.name }));
    // The answer is the integration as it now is; the history with the new
    // step comes with GET.
    if (decided && typeof decided === 'object' && typeof decided.status === 'string') {
      const decisions = decided.decisions && decided.decisions.length > 0 ? decided.decisions : integration.decisions;
      setLoad({ kind: 'loaded', integration: { ...integration, ...decided, decisions } });
    }
    await reload();
    setFocus({ target: made ? 'secret' : 'top' });
  };

  const departmentName = (id: string) => departments.find((department) => String(department.id) === String(id))?.name ?? id;

  let decisionBody;
  if (!officer) decisionBody = <p>{t('integration.decision.officers_only')}</p>;
  else if (own && possible.length > 0) decisionBody = <p data-testid="own-request">{t('integration.decision.own')}</p>;
  else if (possible.length === 0) {
    decisionBody = <p>{i18n.td(`integration.decision.final.${integration.status}`) ?? t('common.none')}</p>;
  } else {
    decisionBody = (
      <div class={pageStyles.actions}>
        {possible.map((decision) => (
          <Button
            key={decision}
            variant={isStopping(decision) ? (decision === 'suspend' ? 'secondary' : 'danger') : 'primary'}
            onClick={() => {
              setDecisionError(null);
              setDeciding(decision);
            }}
          >
            {t(`integration.${decision}`)}
          </Button>
        ))}
      </div>
    );
  }

  const list = (items: string[], name: (item: string) => string = (item) => item, code = false) =>
    items.length === 0 ? (
      t('common.none')
    ) : (
      <ul class={styles.values}>
        {items.map((item) => (
          <li key={item} class={code ? styles.code : undefined}>
            {name(item)}
          </li>
        ))}
      </ul>
    );
  const decisions = integration.decisions ?? [];

  return (
    <div ref={top} tabIndex={-1}>
      <div class={classes(pageStyles.headingRow, styles.headingRow)}>
        <PageHeading>{integration.name}</PageHeading>
        <p class={classes(pageStyles.actions)}>
          <StatusBadge status={integration.status} />
          <LevelBadge level={integration.level} />
        </p>
      </div>
      <p>
        <Link href={kPaths.integrations}>{t('integration.back')}</Link>
        {integration.level === 'embed' && integration.status === 'approved' ? (
          <>
            {' · '}
            {/* A page load: the frame needs the policy of this moment. */}
            <a href={integrationPath(integration.id)}>{t('integration.open_portal')}</a>
          </>
        ) : null}
      </p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div class={pageStyles.sections}>
        {secret ? (
          <SecretPanel
            secret={secret}
            headingRef={secretHeading}
            onHide={() => {
              setSecret(null);
              setFocus({ target: 'top' });
            }}
          />
        ) : null}
        <Card title={t('integration.decision.title')}>{decisionBody}</Card>
        <Card title={t('integration.request.title')}>
          <dl class={pageStyles.details}>
            <dt>{t('integration.field.level')}</dt>
            <dd>{levelName(i18n, integration.level)}</dd>
            <dt>{t('integration.field.status')}</dt>
            <dd>
              <StatusBadge status={integration.status} />
            </dd>
            <dt>{t('integration.field.owner')}</dt>
            <dd>{integration.owner}</dd>
            <dt>{t('integration.field.purpose')}</dt>
            <dd class={styles.historyReason}>{integration.purpose}</dd>
            {integration.launch_url ? (
              <>
                <dt>{t('integration.field.launch_url')}</dt>
                <dd class={styles.code}>{integration.launch_url}</dd>
              </>
            ) : null}
            <dt>{t('integration.field.origins')}</dt>
            <dd>{list(integration.origins ?? [], undefined, true)}</dd>
            {integration.level === 'sso' || (integration.redirect_uris ?? []).length > 0 ? (
              <>
                <dt>{t('integration.field.redirect_uris')}</dt>
                <dd>{list(integration.redirect_uris ?? [], undefined, true)}</dd>
              </>
            ) : null}
            <dt>{t('integration.field.scopes')}</dt>
            <dd>{list(integration.scopes ?? [], (scope) => scopeName(i18n, scope))}</dd>
            {integration.client_id ? (
              <>
                <dt>{t('integration.field.client_id')}</dt>
                <dd class={styles.code}>{integration.client_id}</dd>
              </>
            ) : null}
            <dt>{t('integration.field.roles')}</dt>
            <dd>
              {(integration.visible_roles ?? []).length === 0
                ? t('integration.everyone.roles')
                : list(integration.visible_roles, (role) => roleName(i18n, role))}
            </dd>
            <dt>{t('integration.field.departments')}</dt>
            <dd>
              {(integration.visible_departments ?? []).length === 0
                ? t('integration.everyone.departments')
                : list(integration.visible_departments.map(String), departmentName)}
            </dd>
            {requester && requester.name ? (
              <>
                <dt>{t('integration.field.requested_by')}</dt>
                <dd>{requester.name}</dd>
              </>
            ) : null}
            <dt>{t('integration.field.requested_at')}</dt>
            <dd>
              <time dateTime={integration.requested_at}>{i18n.dateTime(integration.requested_at)}</time>
            </dd>
          </dl>
        </Card>
        {integration.level === 'api' && (integration.api_tokens ?? []).length > 0 ? (
          <Card title={t('integration.tokens.title')}>
            <ul class={styles.values}>
              {(integration.api_tokens ?? []).map((token) => (
                <li key={String(token.id)} data-testid="integration-token">
                  {t('integration.tokens.entry', { created: i18n.dateTime(token.created_at), expires: i18n.dateTime(token.expires_at) })}
                  {token.revoked_at ? ` ${t('integration.tokens.revoked', { time: i18n.dateTime(token.revoked_at) })}` : ''}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        <Card title={t('integration.history.title')}>
          {decisions.length === 0 ? (
            <p class={pageStyles.muted}>{t('integration.history.empty')}</p>
          ) : (
            <ol class={styles.history}>
              {decisions.map((decision, index) => (
                <li key={`${decision.at}-${index}`} data-testid="integration-decision">
                  <strong>{actionName(i18n, decision.action)}</strong>
                  {' — '}
                  {actorNameOf(decision)}, <time dateTime={decision.at}>{i18n.dateTime(decision.at)}</time>
                  {decision.reason ? <p class={styles.historyReason}>{t('integration.history.reason', { reason: decision.reason })}</p> : null}
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
      {deciding ? (
        <DecisionDialog
          decision={deciding}
          name={integration.name}
          busy={busy}
          error={decisionError}
          onConfirm={(reason) => void decide(deciding, reason)}
          onDismiss={() => setDeciding(null)}
        />
      ) : null}
    </div>
  );
}
