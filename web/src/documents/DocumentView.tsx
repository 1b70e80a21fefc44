import { useEffect, useRef, useState } from 'preact/hooks';
import { documentContentUrl } from '../api/egovbox_api';
import { sameId, type DocumentRecord, type DocumentVersion, type Me } from '../api/types';
import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useI18n } from '../i18n/I18nContext';
import { documentActions } from '../state/document_access';
import { Alert } from '../ui/Alert';
import { Button, buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import listStyles from '../ui/ItemList.module.css';
import { afterLoadError, LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { CommentsSection } from './CommentsSection';
import { ClassificationBadge, PendingScanBadge } from './DocumentBadges';
import { DocumentDetailsForm } from './DocumentDetailsForm';
import { classificationText, permissionText, versionFacts } from './document_labels';
import { DocumentNotFound } from './DocumentNotFound';
import { DocumentPreview } from './DocumentPreview';
import styles from './Documents.module.css';
import { openPdf, type PdfOpener } from './pdf_renderer';
import { SharesSection } from './SharesSection';
import { VersionsSection } from './VersionsSection';

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; document: DocumentRecord }
  // Deleted from this page just now: the owner may restore it from here.
  | { kind: 'deleted'; document: DocumentRecord }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// A document's page: details and my permission, the latest version's
// download and preview, the versions, the shares and the comments. What my
// permission does not allow is not shown (docs/documents.md): editors upload
// versions and change the title and description; managers also share,
// classify and delete. `pdfOpener` is pdf.js unless a test gives another.
export function DocumentView(props: { me: Me; documentId: string; pdfOpener?: PdfOpener }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The version in the preview; null: the latest.
  const [shownVersion, setShownVersion] = useState<DocumentVersion | null>(null);
  const top = useRef<HTMLDivElement>(null);
  const previewCard = useRef<HTMLDivElement>(null);

  const reload = async () => {
    try {
      const document = await api.getDocument(props.documentId);
      setLoad({ kind: 'loaded', document });
    } catch (error) {
      setLoad(afterLoadError<Load>(i18n, error));
    }
  };
  useEffect(() => {
    setLoad({ kind: 'loading' });
    void reload();
  }, [props.documentId]);
  useReloadOnReconnect(() => {
    if (load.kind === 'loaded') void reload();
  });

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'not-found') return <DocumentNotFound />;
  if (load.kind === 'failed') {
    return (
      <LoadFailed message={load.message} onRetry={() => void reload()} />
    );
  }

  const { document } = load;
  const isOwner = sameId(document.owner.id, props.me.id);

  const restore = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const restored = await api.restoreDocument(document.id);
      setLoad({ kind: 'loaded', document: restored });
      setNotice(t('document.restored'));
      top.current?.focus();
    } catch (error) {
      setNotice(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  if (load.kind === 'deleted') {
    return (
      <div ref={top} tabIndex={-1}>
        <PageHeading>{document.title}</PageHeading>
        <Alert tone="success">{t('document.deleted_now')}</Alert>
        {notice ? <Alert tone="error">{notice}</Alert> : null}
        <div class={pageStyles.actions}>
          {isOwner ? (
            <Button
              variant="secondary"
              aria-disabled={busy ? 'true' : undefined}
              onClick={() => {
                if (!busy) void restore();
              }}
            >
              {t('document.restore')}
            </Button>
          ) : null}
          <Link href={kPaths.documents}>{t('documents.back')}</Link>
        </div>
      </div>
    );
  }

  const can = documentActions(document);
  const latest = document.latest_version;
  const shown = shownVersion ?? (latest && latest.scan_state !== 'pending-scan' ? latest : null);

  const remove = async () => {
    setBusy(true);
    setDialogError(null);
    try {
      await api.deleteDocument(document.id);
      setConfirming(false);
      setNotice(null);
      setLoad({ kind: 'deleted', document });
      top.current?.focus();
    } catch (error) {
      setDialogError(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div ref={top} tabIndex={-1}>
      <PageHeading>{document.title}</PageHeading>
      <p class={listStyles.badges}>
        <ClassificationBadge classification={document.classification} />
        {document.pending_scan ? <PendingScanBadge /> : null}
      </p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {document.pending_scan ? <Alert tone="info">{t('document.pending_scan')}</Alert> : null}
      <div class={classes(pageStyles.sections, styles.sections)}>
        <Card title={t('document.details')}>
          {editing ? (
            <DocumentDetailsForm
              document={document}
              canClassify={can.manage}
              onSaved={(saved) => {
                setLoad({ kind: 'loaded', document: saved });
                setEditing(false);
                setNotice(t('document.edit.saved'));
                top.current?.focus();
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <>
              <dl class={classes(pageStyles.details, styles.details)}>
                <dt>{t('document.description')}</dt>
                <dd class={styles.description}>{document.description || t('document.description_empty')}</dd>
                <dt>{t('document.classification')}</dt>
                <dd>{classificationText(i18n, document.classification)}</dd>
                <dt>{t('document.owner')}</dt>
                <dd>{document.owner.name}</dd>
                <dt>{t('document.created')}</dt>
                <dd>
                  <time dateTime={document.created_at}>{i18n.dateTime(document.created_at)}</time>
                </dd>
                <dt>{t('document.updated')}</dt>
                <dd>
                  <time dateTime={document.updated_at}>{i18n.dateTime(document.updated_at)}</time>
                </dd>
                <dt>{t('document.my_permission')}</dt>
                <dd>{permissionText(i18n, document.permission)}</dd>
                <dt>{t('document.latest')}</dt>
                <dd>{latest ? `${latest.file_name} — ${versionFacts(i18n, latest)}` : t('documents.no_version')}</dd>
              </dl>
              <div class={pageStyles.actions}>
                {latest && can.download ? (
                  <a href={documentContentUrl(document.id)} download={latest.file_name} class={buttonClass()}>
                    {t('document.download_named', { name: latest.file_name })}
                  </a>
                ) : null}
                {can.edit ? (
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setNotice(null);
                      setEditing(true);
                    }}
                  >
                    {t('document.edit')}
                  </Button>
                ) : null}
                {can.manage ? (
                  <Button
                    variant="danger"
                    onClick={() => {
                      setDialogError(null);
                      setConfirming(true);
                    }}
                  >
                    {t('document.delete')}
                  </Button>
                ) : null}
              </div>
            </>
          )}
        </Card>
        {shown ? (
          <div ref={previewCard} tabIndex={-1}>
            <Card title={t('document.preview')}>
              <DocumentPreview documentId={document.id} version={shown} openPdf={props.pdfOpener ?? openPdf} />
            </Card>
          </div>
        ) : null}
        <VersionsSection
          document={document}
          canUpload={can.edit}
          shown={shown?.number ?? null}
          onShow={(version) => {
            setShownVersion(version);
            previewCard.current?.focus();
          }}
          onUploaded={(uploaded) => {
            setShownVersion(null);
            setLoad({ kind: 'loaded', document: uploaded.document });
          }}
        />
        <SharesSection document={document} meId={props.me.id} canManage={can.manage} />
        <CommentsSection document={document} canComment={can.comment} />
        <p>
          <Link href={kPaths.documents}>{t('documents.back')}</Link>
        </p>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t('document.delete_confirm.title')}
          text={t('document.delete_confirm.text', { title: document.title })}
          confirm={t('document.delete_confirm.yes')}
          dismiss={t('document.delete_confirm.no')}
          busy={busy}
          error={dialogError}
          onConfirm={() => void remove()}
          onDismiss={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
