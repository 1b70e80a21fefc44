import { useEffect, useRef, useState } from 'preact/hooks';
import type { DocumentRecord, DocumentShare, Id } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import { errorText } from '../ui/problem_text';
import { granteeKindText, permissionText } from './document_labels';
import styles from './Documents.module.css';
import { ShareForm } from './ShareForm';

type Load = { kind: 'loading' } | { kind: 'loaded'; shares: DocumentShare[] } | { kind: 'failed'; message: string };

// Whom the document is shared with (everyone who may view it sees this),
// and for managers "Remove" per share and the form for a new one.
export function SharesSection(props: { document: DocumentRecord; meId: Id; canManage: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { document } = props;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const top = useRef<HTMLDivElement>(null);

  const reload = async () => {
    try {
      const answer = await api.listShares(document.id);
      setLoad({ kind: 'loaded', shares: answer.shares });
    } catch (error) {
      setLoad({ kind: 'failed', message: errorText(i18n, error) });
    }
  };
  useEffect(() => {
    void reload();
  }, [document.id, document.classification]);

  const remove = async (share: DocumentShare) => {
    setRemoving(String(share.id));
    setMessage(null);
    try {
      await api.removeShare(document.id, share.id);
      setMessage({ tone: 'success', text: t('share.removed', { name: share.grantee.name }) });
      await reload();
      top.current?.focus();
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    } finally {
      setRemoving(null);
    }
  };

  return (
    <Card title={t('document.shares')}>
      <div ref={top} tabIndex={-1}>
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
        {load.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
        {load.kind === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
        {load.kind === 'loaded' && load.shares.length === 0 ? <p>{t('document.shares.none')}</p> : null}
        {load.kind === 'loaded' && load.shares.length > 0 ? (
          <ul class={listStyles.results} aria-label={t('document.shares.list')}>
            {load.shares.map((share) => (
              <li key={String(share.id)} class={styles.row} data-testid="share">
                <div class={styles.rowMain}>
                  {/* The server names a meeting only to its invitees. */}
                  <p class={styles.rowName}>{share.grantee.name || t('share.hidden_meeting')}</p>
                  <p class={classes(listStyles.facts, styles.facts)}>
                    <span>{granteeKindText(i18n, share.grantee.kind)}</span>
                    <span>{permissionText(i18n, share.permission)}</span>
                    <span>
                      {share.expires_at
                        ? t('share.until', { date: i18n.dateTime(share.expires_at) })
                        : t('share.no_end')}
                    </span>
                    <span>{t('share.by', { name: share.created_by.name, date: i18n.dateTime(share.created_at) })}</span>
                  </p>
                </div>
                {props.canManage ? (
                  <Button
                    variant="danger"
                    aria-label={t('share.remove_named', { name: share.grantee.name || t('share.hidden_meeting') })}
                    aria-disabled={removing === String(share.id) ? 'true' : undefined}
                    onClick={() => {
                      if (removing === null) void remove(share);
                    }}
                  >
                    {t('share.remove')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {props.canManage ? (
        <ShareForm
          document={document}
          meId={props.meId}
          onShared={(_share, name) => {
            setMessage({ tone: 'success', text: t('share.added', { name }) });
            void reload();
          }}
        />
      ) : null}
    </Card>
  );
}
