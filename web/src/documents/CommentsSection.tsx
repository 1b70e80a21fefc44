import { useEffect, useState } from 'preact/hooks';
import type { DocumentComment, DocumentRecord } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { Card } from '../ui/Card';
import { Form } from '../ui/Form';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';
import styles from './Documents.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; comments: DocumentComment[] } | { kind: 'failed'; message: string };

// The comments on a document, in the server's order, and for those who may
// comment the form for a new one.
export function CommentsSection(props: { document: DocumentRecord; canComment: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    api.listComments(props.document.id).then(
      (answer) => {
        if (current) setLoad({ kind: 'loaded', comments: answer.comments });
      },
      (failure: unknown) => {
        if (current) setLoad({ kind: 'failed', message: errorText(i18n, failure) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, props.document.id]);

  const submit = async () => {
    if (busy) return;
    setAdded(false);
    setFormError(null);
    if (body.trim() === '') {
      setError(t('comment.error.required'));
      document.getElementById('comment-body')?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const comment = await api.addComment(props.document.id, body.trim());
      setLoad((old) => ({ kind: 'loaded', comments: [...(old.kind === 'loaded' ? old.comments : []), comment] }));
      setBody('');
      setAdded(true);
    } catch (failure) {
      setFormError(errorText(i18n, failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('document.comments')}>
      {load.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
      {load.kind === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
      {load.kind === 'loaded' && load.comments.length === 0 ? <p>{t('document.comments.none')}</p> : null}
      {load.kind === 'loaded' && load.comments.length > 0 ? (
        <ul class={listStyles.results} aria-label={t('document.comments.list')}>
          {load.comments.map((comment) => (
            <li key={String(comment.id)} class={styles.comment} data-testid="comment">
              <p class={styles.commentHead}>
                <strong>{comment.author.name}</strong>
                {', '}
                <time dateTime={comment.created_at}>{i18n.dateTime(comment.created_at)}</time>
              </p>
              <p class={styles.commentBody}>{comment.body}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {props.canComment ? (
        <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
          {added ? <Alert tone="success">{t('comment.added')}</Alert> : null}
          {formError ? <Alert tone="error">{formError}</Alert> : null}
          <TextAreaField
            id="comment-body"
            label={t('comment.label')}
            value={body}
            onValue={(value) => {
              setBody(value);
              setAdded(false);
            }}
            error={error}
            rows={3}
          />
          <SubmitButton blocked={busy}>{t('comment.submit')}</SubmitButton>
        </Form>
      ) : null}
    </Card>
  );
}
