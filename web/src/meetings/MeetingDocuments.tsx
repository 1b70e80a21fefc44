import { useEffect, useState } from 'preact/hooks';
import type { DocumentRecord, Id } from '../api/types';
import { Link } from '../app/Link';
import { documentPath } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { ClassificationBadge } from '../documents/DocumentBadges';
import { versionFacts } from '../documents/document_labels';
import { Alert } from '../ui/Alert';
import { Card } from '../ui/Card';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import styles from './Meetings.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; documents: DocumentRecord[] } | { kind: 'failed'; message: string };

// The documents shared with a meeting (its invitees may view them), each a
// link to its page; asked for again when `reloadKey` changes (the meeting
// changed). In the meeting room the links open a new tab (`openInNewTab`):
// going to another page would leave the meeting.
export function MeetingDocuments(props: { meetingId: Id; reloadKey: number; openInNewTab?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let current = true;
    api.meetingDocuments(props.meetingId).then(
      (answer) => {
        if (current) setLoad({ kind: 'loaded', documents: answer.documents });
      },
      (error: unknown) => {
        if (current) setLoad({ kind: 'failed', message: errorText(i18n, error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, props.meetingId, props.reloadKey]);

  return (
    <Card title={t('meeting.documents')}>
      {load.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
      {load.kind === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
      {load.kind === 'loaded' && load.documents.length === 0 ? <p class={pageStyles.muted}>{t('meeting.documents.none')}</p> : null}
      {load.kind === 'loaded' && load.documents.length > 0 ? (
        <ul class={styles.invitees} aria-label={t('meeting.documents')}>
          {load.documents.map((document) => (
            <li key={String(document.id)} class={styles.invitee} data-testid="meeting-document">
              <span>
                {props.openInNewTab ? (
                  <a href={documentPath(document.id)} class={styles.inviteeName} target="_blank" rel="noopener">
                    {document.title}
                    <span class="visually-hidden"> {t('live.new_tab')}</span>
                  </a>
                ) : (
                  <Link href={documentPath(document.id)} class={styles.inviteeName}>
                    {document.title}
                  </Link>
                )}
                <br />
                <span class={styles.inviteeMeta}>
                  {document.latest_version ? versionFacts(i18n, document.latest_version) : t('documents.no_version')}
                </span>
              </span>
              <ClassificationBadge classification={document.classification} />
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
