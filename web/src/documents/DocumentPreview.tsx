import { useEffect, useState } from 'preact/hooks';
import { documentPreviewUrl } from '../api/egovbox_api';
import type { DocumentVersion, Id } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { previewKind } from '../state/document_files';
import { Alert } from '../ui/Alert';
import pageStyles from '../ui/Page.module.css';
import styles from './Documents.module.css';
import type { PdfOpener } from './pdf_renderer';
import { PdfPreview } from './PdfPreview';

// The preview of one version: pdf.js for a PDF, an <img> for a raster
// image (GET …/preview sends both inline), otherwise a note to download it.
export function DocumentPreview(props: { documentId: Id; version: DocumentVersion; openPdf: PdfOpener }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { version } = props;
  const kind = previewKind(version);
  const [imageFailed, setImageFailed] = useState(false);
  useEffect(() => setImageFailed(false), [props.documentId, version.number]);

  return (
    <>
      <p class={pageStyles.muted}>{t('document.preview.of_version', { number: version.number, name: version.file_name })}</p>
      {kind === 'pdf' ? <PdfPreview documentId={props.documentId} version={version.number} open={props.openPdf} /> : null}
      {kind === 'image' && !imageFailed ? (
        <img
          class={styles.image}
          src={documentPreviewUrl(props.documentId, version.number)}
          alt={t('document.preview.label')}
          onError={() => setImageFailed(true)}
        />
      ) : null}
      {kind === 'image' && imageFailed ? <Alert tone="info">{t('document.preview.failed')}</Alert> : null}
      {kind === null ? <p>{t('document.preview.none')}</p> : null}
    </>
  );
}
