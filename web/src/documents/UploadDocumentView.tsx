import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Classification, DocumentUploaded } from '../api/types';
import { Link } from '../app/Link';
import { documentPath, kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { translate } from '../i18n/i18n';
import { titleFromFileName } from '../state/document_files';
import { UploadTask } from '../state/upload_task';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import { ClassificationChoice } from './ClassificationChoice';
import styles from './Documents.module.css';
import { FileDropZone } from './FileDropZone';
import { UploadProgress } from './UploadProgress';

// Uploading a new document: the file (dropped or chosen), its title (the
// file's name until the person types another), classification and
// description. The file goes up with its progress shown and can be
// cancelled; then the document's page opens (which says so when the file
// waits for a virus scan).
export function UploadDocumentView() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, router, announcer } = useServices();
  const task = useMemo(() => new UploadTask<DocumentUploaded>(), []);
  const upload = useStore(task.state);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  // The title last taken from a file name: replaced by the next file's
  // unless the person changed it.
  const [autoTitle, setAutoTitle] = useState('');
  const [description, setDescription] = useState('');
  const [classification, setClassification] = useState<Classification>('internal');
  const [errors, setErrors] = useState<{ file?: string; title?: string }>({});
  const fileInput = 'upload-file';
  const titleInput = useRef<HTMLInputElement>(null);

  // Leaving the page stops an upload under way.
  useEffect(() => () => task.reset(), [task]);

  const chooseFile = (chosen: File) => {
    setFile(chosen);
    setErrors((old) => ({ ...old, file: undefined }));
    const fromName = titleFromFileName(chosen.name);
    if (title.trim() === '' || title === autoTitle) setTitle(fromName);
    setAutoTitle(fromName);
  };

  const submit = async () => {
    if (task.busy) return;
    const found: typeof errors = {};
    if (!file) found.file = t('upload.error.file_required');
    if (title.trim() === '') found.title = t('upload.error.title_required');
    setErrors(found);
    if (found.file) {
      document.getElementById(fileInput)?.focus();
      return;
    }
    if (found.title || !file) {
      titleInput.current?.focus();
      return;
    }
    const result = await task.start(file.size, (onProgress, signal) =>
      api.uploadDocument(
        { title: title.trim(), file_name: file.name, classification, description: description.trim() },
        file,
        { onProgress, signal },
      ),
    );
    if (!result) return;
    const pending = result.status === 202 || result.version.scan_state === 'pending-scan';
    announcer.say((lang) => translate(lang, pending ? 'upload.done_pending' : 'upload.done'));
    router.navigate(documentPath(result.document.id));
  };

  const busy = upload.phase === 'uploading';
  return (
    <>
      <PageHeading>{t('upload.title')}</PageHeading>
      <p class={pageStyles.lead}>{t('upload.lead')}</p>
      <div class={styles.panel}>
        <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
          {upload.phase === 'failed' ? <Alert tone="error">{errorText(i18n, upload.error)}</Alert> : null}
          {upload.phase === 'cancelled' ? <Alert tone="info">{t('upload.cancelled')}</Alert> : null}
          <FileDropZone id={fileInput} file={file} onFile={chooseFile} error={errors.file} disabled={busy} />
          <TextField
            id="upload-title"
            label={t('upload.title.label')}
            help={t('upload.title.help')}
            value={title}
            onValue={setTitle}
            error={errors.title}
            inputRef={titleInput}
            required
          />
          <ClassificationChoice name="upload-classification" value={classification} onValue={setClassification} />
          <TextAreaField
            id="upload-description"
            label={t('upload.description.label')}
            value={description}
            onValue={setDescription}
            rows={3}
          />
          {busy ? <UploadProgress state={upload} onCancel={() => task.cancel()} /> : null}
          <div class={pageStyles.actions}>
            <SubmitButton blocked={busy}>{t('upload.submit')}</SubmitButton>
            <Link href={kPaths.documents}>{t('documents.back')}</Link>
          </div>
        </Form>
      </div>
    </>
  );
}
