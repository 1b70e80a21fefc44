import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionItem } from '../api/types';
import { useServices } from '../app/services';
import { useI18n, type I18n } from '../i18n/I18nContext';
import { describeUserAgent } from '../state/user_agent';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { LoadFailed } from '../ui/LoadFailed';
import { errorText } from '../ui/problem_text';
import styles from './Security.module.css';

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'loaded'; items: SessionItem[] };

export function deviceName(i18n: I18n, userAgent: string): string {
  const { browser, os } = describeUserAgent(userAgent);
  if (browser && os) return i18n.t('security.sessions.device', { browser, os });
  return browser ?? os ?? i18n.t('security.sessions.unknown_device');
}

// Current session first, then the most recently used.
export function sortSessions(items: SessionItem[]): SessionItem[] {
  return [...items].sort((a, b) => {
    if (a.current !== b.current) return a.current ? -1 : 1;
    return b.last_seen_at.localeCompare(a.last_seen_at);
  });
}

// The person's signed-in sessions, each with a button to end it. Ending the
// current one signs this browser out.
export function SessionsList(props: { reloadKey: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, session } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  // The revoked session's button disappears with it; focus moves to the
  // top of the list, where the outcome is announced.
  const listTop = useRef<HTMLDivElement>(null);

  const reload = async () => {
    try {
      const answer = await api.listSessions();
      setLoad({ kind: 'loaded', items: sortSessions(answer.items) });
    } catch (error) {
      setLoad({ kind: 'failed', message: errorText(i18n, error) });
    }
  };

  useEffect(() => {
    void reload();
  }, [props.reloadKey]);

  const revoke = async (item: SessionItem) => {
    try {
      await api.revokeSession(item.id);
      if (item.current) {
        session.sessionEnded();
        return;
      }
      setMessage({ tone: 'success', text: t('security.sessions.revoked', { device: deviceName(i18n, item.user_agent) }) });
      if (load.kind === 'loaded') setLoad({ kind: 'loaded', items: load.items.filter((s) => s.id !== item.id) });
      listTop.current?.focus();
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    }
  };

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'failed') {
    return (
      <LoadFailed message={load.message} onRetry={() => void reload()} />
    );
  }
  return (
    <div ref={listTop} tabIndex={-1}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <ul class={styles.sessionList}>
        {load.items.map((item) => {
          const device = deviceName(i18n, item.user_agent);
          const since = i18n.dateTime(item.created_at);
          return (
            <li key={item.id} class={styles.sessionItem}>
              <div class={styles.sessionHead}>
                <h3 class={styles.sessionTitle}>{device}</h3>
                {item.current ? <span class={styles.badge}>{t('security.sessions.current')}</span> : null}
              </div>
              <dl class={styles.facts}>
                <div>
                  <dt>{t('security.sessions.started')}</dt>
                  <dd>{since}</dd>
                </div>
                <div>
                  <dt>{t('security.sessions.last_seen')}</dt>
                  <dd>{i18n.dateTime(item.last_seen_at)}</dd>
                </div>
                <div>
                  <dt>{t('security.sessions.expires')}</dt>
                  <dd>{i18n.dateTime(item.expires_at)}</dd>
                </div>
                <div>
                  <dt>{t('security.sessions.address')}</dt>
                  <dd>{item.client_address || '—'}</dd>
                </div>
              </dl>
              <Button
                variant={item.current ? 'secondary' : 'danger'}
                aria-label={
                  item.current
                    ? t('security.sessions.sign_out_named', { device, since })
                    : t('security.sessions.revoke_named', { device, since })
                }
                onClick={() => void revoke(item)}
              >
                {item.current ? t('security.sessions.sign_out') : t('security.sessions.revoke')}
              </Button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
