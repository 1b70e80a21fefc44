import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import type { Me } from '../api/types';
import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/i18n';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import styles from './Consent.module.css';
import { decideConsent, getConsentRequest, type ConsentDecision, type ConsentRequest } from './consent_api';

type Load =
  | { kind: 'loading' }
  | { kind: 'asking'; request: ConsentRequest }
  | { kind: 'leaving' }
  | { kind: 'not-found' }
  | { kind: 'not-approved'; message: string }
  | { kind: 'failed'; message: string };

// The scopes the page can describe; any other is shown by its name.
const kDescribedScopes = new Set(['openid', 'profile', 'email', 'department', 'roles']);

// The consent page (/oauth2/consent/{id}): a portal asks to sign the person in
// with eGov box (OpenID Connect). It shows the portal's name, owner and
// purpose and what it will receive; Allow sends the browser back to the portal
// with a code, Deny with error=access_denied. When the person consented
// before, the page goes straight on. `leave` takes the browser to the portal
// (a test passes its own).
export function ConsentView(props: { requestId: string; me: Me; leave?: (url: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { client } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leave = props.leave ?? ((url: string) => window.location.assign(url));

  const failure = (cause: unknown): Load => {
    if (cause instanceof ApiError && cause.slug === 'oidc-request-not-found') return { kind: 'not-found' };
    if (cause instanceof ApiError && cause.slug === 'oidc-client-not-approved') {
      return { kind: 'not-approved', message: errorText(i18n, cause) };
    }
    return { kind: 'failed', message: errorText(i18n, cause) };
  };

  const decide = async (decision: ConsentDecision) => {
    setBusy(true);
    setError(null);
    try {
      const url = await decideConsent(client, props.requestId, decision);
      setLoad({ kind: 'leaving' });
      leave(url);
    } catch (cause) {
      const next = failure(cause);
      if (next.kind === 'failed') setError(next.message);
      else setLoad(next);
      setBusy(false);
    }
  };

  const reload = async () => {
    setLoad({ kind: 'loading' });
    try {
      const request = await getConsentRequest(client, props.requestId);
      if (request.consent_required) setLoad({ kind: 'asking', request });
      else await decide('allow');
    } catch (cause) {
      setLoad(failure(cause));
    }
  };
  useEffect(() => void reload(), [props.requestId]);

  switch (load.kind) {
    case 'loading':
      return <p role="status">{t('common.loading')}</p>;
    case 'leaving':
      return <p role="status">{t('consent.leaving')}</p>;
    case 'failed':
      return <LoadFailed message={load.message} onRetry={() => void reload()} />;
    case 'not-found':
    case 'not-approved':
      return (
        <>
          <PageHeading>{t(load.kind === 'not-found' ? 'consent.not_found.title' : 'consent.not_approved.title')}</PageHeading>
          <p>{load.kind === 'not-found' ? t('consent.not_found.text') : load.message}</p>
          <p>
            <Link href={kPaths.room}>{t('consent.back')}</Link>
          </p>
        </>
      );
    case 'asking':
      break;
  }
  const { request } = load;
  const portal = request.client;
  const isNew = (scope: string) => request.new_scopes.includes(scope) && request.new_scopes.length < request.scopes.length;
  return (
    <>
      <PageHeading>{t('consent.title', { portal: portal.name })}</PageHeading>
      <p class={pageStyles.lead}>{t('consent.signed_in_as', { name: props.me.name })}</p>
      <dl class={`${pageStyles.details} ${styles.facts}`}>
        <dt>{t('consent.owner')}</dt>
        <dd>{portal.owner}</dd>
        <dt>{t('consent.purpose')}</dt>
        <dd>{portal.purpose}</dd>
        {portal.launch_url ? (
          <>
            <dt>{t('consent.address')}</dt>
            <dd>{portal.launch_url}</dd>
          </>
        ) : null}
      </dl>
      <h2 id="consent-scopes">{t('consent.scopes', { portal: portal.name })}</h2>
      <ul class={styles.scopes} aria-labelledby="consent-scopes" data-testid="consent-scopes">
        {request.scopes.map((scope) => (
          <li key={scope} data-scope={scope}>
            {kDescribedScopes.has(scope) ? t(`consent.scope.${scope}` as MessageKey) : scope}
            {isNew(scope) ? <span class={styles.newScope}>{t('consent.scope.new')}</span> : null}
          </li>
        ))}
      </ul>
      <p class={pageStyles.muted}>{t('consent.note')}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div class={pageStyles.actions}>
        <Button onClick={() => void decide('allow')} disabled={busy}>
          {t('consent.allow')}
        </Button>
        <Button variant="secondary" onClick={() => void decide('deny')} disabled={busy}>
          {t('consent.deny')}
        </Button>
      </div>
    </>
  );
}
