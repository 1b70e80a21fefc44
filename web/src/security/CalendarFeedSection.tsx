import { useEffect, useRef, useState } from 'preact/hooks';
import type { CalendarFeed } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { errorText } from '../ui/problem_text';
import { TextField } from '../ui/TextField';
import styles from './Security.module.css';

// The subscription as this page knows it. The server keeps only the hash of
// the address, so `url` is known only right after creating or renewing it
// here; later the page can say only that there is one, and since when.
interface Feed extends CalendarFeed {
  url: string | null;
}

type Load = { kind: 'loading' } | { kind: 'loaded'; feed: Feed } | { kind: 'failed'; message: string };

const kNoFeed: Feed = { active: false, created_at: null, url: null };

// The private address of the person's calendar feed: create it (shown and
// copied once), make a new one (which revokes the old), revoke it.
export function CalendarFeedSection() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const section = useRef<HTMLDivElement>(null);
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard !== undefined;

  useEffect(() => {
    api.getCalendarFeed().then(
      (feed) =>
        setLoad({
          kind: 'loaded',
          feed: { active: feed.active === true, created_at: feed.created_at ?? null, url: null },
        }),
      (error: unknown) => setLoad({ kind: 'failed', message: errorText(i18n, error) }),
    );
  }, [api]);

  const act = async (action: () => Promise<Feed>, done: string) => {
    if (busy) return;
    setBusy(true);
    setCopied(null);
    try {
      setLoad({ kind: 'loaded', feed: await action() });
      setMessage({ tone: 'success', text: done });
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    } finally {
      setBusy(false);
      // The button pressed may be gone; the outcome is read from the top.
      section.current?.focus();
    }
  };
  const create = async (): Promise<Feed> => {
    const created = await api.createCalendarFeed();
    return { active: true, created_at: created.created_at ?? null, url: created.url };
  };

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'failed') return <Alert tone="error">{load.message}</Alert>;
  const { feed } = load;
  const renewAndRevoke = (
    <>
      <Button
        variant="secondary"
        aria-disabled={busy ? 'true' : undefined}
        onClick={() => void act(create, t('calendar_feed.renewed'))}
      >
        {t('calendar_feed.renew')}
      </Button>
      <Button
        variant="danger"
        aria-disabled={busy ? 'true' : undefined}
        onClick={() =>
          void act(async () => {
            await api.revokeCalendarFeed();
            return kNoFeed;
          }, t('calendar_feed.revoked'))
        }
      >
        {t('calendar_feed.revoke')}
      </Button>
    </>
  );

  let body;
  if (!feed.active) {
    body = (
      <>
        <p>{t('calendar_feed.none')}</p>
        <Button aria-disabled={busy ? 'true' : undefined} onClick={() => void act(create, t('calendar_feed.created'))}>
          {t('calendar_feed.create')}
        </Button>
      </>
    );
  } else if (feed.url === null) {
    body = (
      <>
        {feed.created_at ? <p>{t('calendar_feed.active', { date: i18n.dateTime(feed.created_at) })}</p> : null}
        <p>{t('calendar_feed.hidden')}</p>
        <div class={styles.actions}>{renewAndRevoke}</div>
      </>
    );
  } else {
    const url = feed.url;
    body = (
      <>
        <TextField
          id="calendar-feed-url"
          label={t('calendar_feed.url_label')}
          value={url}
          onValue={() => undefined}
          readOnly
          monospace
          spellcheck={false}
          help={t('calendar_feed.shown_once')}
          onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
        />
        <div class={styles.actions}>
          {canCopy ? (
            <Button
              onClick={() => {
                navigator.clipboard.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                );
              }}
            >
              {t('calendar_feed.copy')}
            </Button>
          ) : null}
          {renewAndRevoke}
        </div>
        <p role="status" class={styles.copyStatus}>
          {copied === true ? t('calendar_feed.copied') : copied === false ? t('calendar_feed.copy_failed') : ''}
        </p>
      </>
    );
  }
  return (
    <div ref={section} tabIndex={-1}>
      <p>{t('calendar_feed.explain')}</p>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {body}
    </div>
  );
}
