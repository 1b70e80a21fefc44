import { useEffect, useState } from 'preact/hooks';
import { documentContentUrl } from '../api/egovbox_api';
import type { DocumentRecord, DocumentUploaded, DocumentVersion } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { previewKind, shortSha256 } from '../state/document_files';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { PendingScanBadge } from './DocumentBadges';
import { typeText } from './document_labels';
import styles from './Documents.module.css';
import { NewVersionForm } from './NewVersionForm';

type Load = { kind: 'loading' } | { kind: 'loaded'; versions: DocumentVersion[] } | { kind: 'failed'; message: string };

// Every version, newest first: who uploaded it and when, its name, size,
// type and SHA-256, a download link each and "Preview" for the previewable
// ones; for editors, the form for a new version. Asked for again when the
// document's latest version or update time changes.
export function VersionsSection(props: {
  document: DocumentRecord;
  canUpload: boolean;
  shown: number | null;
  onShow: (version: DocumentVersion) => void;
  onUploaded: (uploaded: DocumentUploaded) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { document } = props;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let current = true;
    api.listVersions(document.id).then(
      (answer) => {
        if (current) setLoad({ kind: 'loaded', versions: answer.versions });
      },
      (error: unknown) => {
        if (current) setLoad({ kind: 'failed', message: errorText(i18n, error) });
      },
    );
    return () => {
      current = false;
    };
    // A new latest version or another update time: ask again.
  }, [api, document.id, document.updated_at, document.latest_version?.number]);

  return (
    <Card title={t('document.versions')}>
      {load.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
      {load.kind === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
      {load.kind === 'loaded' ? (
        <ul class={listStyles.results} aria-label={t('document.versions')}>
          {load.versions.map((version, index) => (
            <VersionRow
              key={version.number}
              document={document}
              version={version}
              latest={index === 0}
              shown={props.shown === version.number}
              onShow={() => props.onShow(version)}
            />
          ))}
        </ul>
      ) : null}
      {props.canUpload ? <NewVersionForm document={document} onUploaded={props.onUploaded} /> : null}
    </Card>
  );
}

function VersionRow(props: {
  document: DocumentRecord;
  version: DocumentVersion;
  latest: boolean;
  shown: boolean;
  onShow: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { version } = props;
  const pending = version.scan_state === 'pending-scan';
  return (
    <li class={styles.row} data-testid="version">
      <div class={styles.rowMain}>
        <p class={styles.rowName}>
          {t('document.version.number', { number: version.number })}
          {props.latest ? <span class={pageStyles.muted}> ({t('document.version.latest')})</span> : null}
          {' · '}
          {version.file_name}
        </p>
        <p class={classes(listStyles.facts, styles.facts)}>
          <span>
            {t('document.version.uploaded', { name: version.uploader.name, date: i18n.dateTime(version.uploaded_at) })}
          </span>
          <span>{t('document.version.facts', { type: typeText(i18n, version.media_type), size: i18n.fileSize(version.size) })}</span>
          <span class={styles.code} title={version.sha256}>
            {t('document.version.sha256', { hash: shortSha256(version.sha256) })}
          </span>
          {version.scan_state === 'not-scanned' ? <span>{t('document.version.not_scanned')}</span> : null}
        </p>
        {pending ? <PendingScanBadge /> : null}
      </div>
      {pending ? null : (
        <div class={pageStyles.actions}>
          <a
            href={documentContentUrl(props.document.id, version.number)}
            download={version.file_name}
            aria-label={t('document.version.download_named', { number: version.number, name: version.file_name })}
          >
            {t('document.version.download')}
          </a>
          {previewKind(version) && !props.shown ? (
            <Button
              variant="quiet"
              aria-label={t('document.version.show_named', { number: version.number })}
              onClick={props.onShow}
            >
              {t('document.version.show')}
            </Button>
          ) : null}
        </div>
      )}
    </li>
  );
}
