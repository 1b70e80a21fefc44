import { useEffect, useMemo, useState } from 'preact/hooks';
import type { DocumentRecord, DocumentUploaded } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { UploadTask } from '../state/upload_task';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { classes } from '../ui/classes';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import styles from './Documents.module.css';
import { FileDropZone } from './FileDropZone';
import { UploadProgress } from './UploadProgress';

// A new version of a document (edit permission): the file, its progress,
// cancel. The server keeps the older versions.
export function NewVersionForm(props: { document: DocumentRecord; onUploaded: (uploaded: DocumentUploaded) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const task = useMemo(() => new UploadTask<DocumentUploaded>(), []);
  const upload = useStore(task.state);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const inputId = 'version-file';

  useEffect(() => () => task.reset(), [task]);

  const submit = async () => {
    if (task.busy) return;
    if (!file) {
      setError(t('upload.error.file_required'));
      document.getElementById(inputId)?.focus();
      return;
    }
    setError(null);
    setDone(null);
    const result = await task.start(file.size, (onProgress, signal) =>
      api.uploadVersion(props.document.id, file.name, file, { onProgress, signal }),
    );
    if (!result) return;
    const pending = result.status === 202 || result.version.scan_state === 'pending-scan';
    setDone(t(pending ? 'document.new_version.done_pending' : 'document.new_version.done', { number: result.version.number }));
    setFile(null);
    props.onUploaded(result);
  };

  const busy = upload.phase === 'uploading';
  return (
    <section class={classes(pageStyles.subform, styles.subform)} aria-labelledby="new-version-title">
      <h3 id="new-version-title" class={pageStyles.subformTitle}>
        {t('document.new_version')}
      </h3>
      <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
        {done ? <Alert tone="success">{done}</Alert> : null}
        {upload.phase === 'failed' ? <Alert tone="error">{errorText(i18n, upload.error)}</Alert> : null}
        {upload.phase === 'cancelled' ? <Alert tone="info">{t('upload.cancelled')}</Alert> : null}
        <FileDropZone
          id={inputId}
          file={file}
          onFile={(chosen) => {
            setFile(chosen);
            setError(null);
            setDone(null);
          }}
          error={error}
          disabled={busy}
        />
        {busy ? <UploadProgress state={upload} onCancel={() => task.cancel()} /> : null}
        <SubmitButton blocked={busy}>{t('document.new_version.submit')}</SubmitButton>
      </Form>
    </section>
  );
}
