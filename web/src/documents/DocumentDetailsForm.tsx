import { useState } from 'preact/hooks';
import { ApiError, invalidFieldName } from '../api/problem';
import type { Classification, DocumentChanges, DocumentRecord } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import { ClassificationChoice } from './ClassificationChoice';

// Changing a document's title and description (edit) and, for managers,
// its classification. Only what changed is sent (PATCH).
export function DocumentDetailsForm(props: {
  document: DocumentRecord;
  canClassify: boolean;
  onSaved: (document: DocumentRecord) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { document } = props;
  const [title, setTitle] = useState(document.title);
  const [description, setDescription] = useState(document.description);
  const [classification, setClassification] = useState<Classification>(document.classification);
  const [errors, setErrors] = useState<{ title?: string; description?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    if (title.trim() === '') {
      setErrors({ title: t('upload.error.title_required') });
      window.document.getElementById('document-title')?.focus();
      return;
    }
    const changes: DocumentChanges = {};
    if (title.trim() !== document.title) changes.title = title.trim();
    if (description.trim() !== document.description) changes.description = description.trim();
    if (props.canClassify && classification !== document.classification) changes.classification = classification;
    if (Object.keys(changes).length === 0) {
      props.onSaved(document);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      props.onSaved(await api.updateDocument(document.id, changes));
    } catch (error) {
      const field = error instanceof ApiError ? invalidFieldName(error) : '';
      if (field === 'title' || field === 'description') {
        setErrors({ [field]: errorText(i18n, error) });
        window.document.getElementById(`document-${field}`)?.focus();
      } else setErrors({ form: errorText(i18n, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <TextField id="document-title" label={t('upload.title.label')} value={title} onValue={setTitle} error={errors.title} required />
      <TextAreaField
        id="document-description"
        label={t('upload.description.label')}
        value={description}
        onValue={setDescription}
        error={errors.description}
        rows={3}
      />
      {props.canClassify ? (
        <ClassificationChoice name="document-classification" value={classification} onValue={setClassification} />
      ) : null}
      <div class={pageStyles.actions}>
        <SubmitButton blocked={busy}>{t('document.edit.save')}</SubmitButton>
        <Button variant="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </Form>
  );
}
