import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  kClassifications,
  type Classification,
  type DocumentRecord,
  type DocumentScope,
  type DocumentTypeFilter,
} from '../api/types';
import { Link } from '../app/Link';
import { documentPath, kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { DocumentList } from '../state/document_list';
import { Alert } from '../ui/Alert';
import { Button, buttonClass } from '../ui/Button';
import { classes } from '../ui/classes';
import inputStyles from '../ui/input.module.css';
import listStyles from '../ui/ItemList.module.css';
import { LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { SelectField } from '../ui/SelectField';
import fieldStyles from '../ui/TextField.module.css';
import { ClassificationBadge, PendingScanBadge } from './DocumentBadges';
import { versionFacts } from './document_labels';
import styles from './Documents.module.css';

const kScopes: DocumentScope[] = ['all', 'mine', 'shared', 'deleted'];
const kTypes: DocumentTypeFilter[] = ['pdf', 'image', 'office', 'other'];

// The documents I may see: a search box and filters (whose, classification,
// file type), each document with its classification, owner and latest
// version; under "Deleted", my deleted documents with "Restore".
export function DocumentsView() {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const { api } = useServices();
  const list = useMemo(() => new DocumentList((query, signal) => api.listDocuments(query, signal)), [api]);
  const state = useStore(list.state);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const listTop = useRef<HTMLDivElement>(null);

  useEffect(() => {
    list.reload();
    return () => list.dispose();
  }, [list]);
  useReloadOnReconnect(() => list.reload());

  const { filters } = state;
  const restore = async (document: DocumentRecord) => {
    setRestoring(String(document.id));
    setMessage(null);
    try {
      await api.restoreDocument(document.id);
      setMessage({ tone: 'success', text: t('documents.restored', { title: document.title }) });
      list.reload();
      listTop.current?.focus();
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    } finally {
      setRestoring(null);
    }
  };

  const count =
    state.status !== 'done'
      ? ''
      : state.documents.length === 0
        ? t('documents.count.none')
        : tp('documents.count', state.documents.length);

  return (
    <>
      <div class={classes(pageStyles.headingRow, styles.headingRow)}>
        <PageHeading>{t('documents.title')}</PageHeading>
        <Link href={kPaths.documentNew} class={buttonClass()}>
          {t('documents.upload')}
        </Link>
      </div>
      <p class={pageStyles.lead}>{t('documents.lead')}</p>
      <div role="search" aria-label={t('documents.filters')}>
        <div class={styles.filters}>
          <div class={fieldStyles.field}>
            <label class={fieldStyles.label} for="documents-search">
              {t('documents.search.label')}
            </label>
            <input
              id="documents-search"
              type="search"
              class={inputStyles.input}
              value={filters.q}
              autocomplete="off"
              aria-controls="documents-list"
              onInput={(event) => list.setQuery(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  list.reload();
                }
              }}
            />
          </div>
          <SelectField
            id="documents-scope"
            label={t('documents.scope.label')}
            value={filters.scope}
            onValue={(value) => {
              setMessage(null);
              list.setFilter('scope', value as DocumentScope);
            }}
            options={kScopes.map((scope) => ({ value: scope, label: t(`documents.scope.${scope}`) }))}
          />
          <SelectField
            id="documents-classification"
            label={t('documents.classification.label')}
            value={filters.classification}
            onValue={(value) => list.setFilter('classification', value as Classification | '')}
            options={[
              { value: '', label: t('documents.classification.any') },
              ...kClassifications.map((value) => ({ value, label: t(`classification.${value}`) })),
            ]}
          />
          <SelectField
            id="documents-type"
            label={t('documents.type.label')}
            value={filters.type}
            onValue={(value) => list.setFilter('type', value as DocumentTypeFilter | '')}
            options={[
              { value: '', label: t('documents.type.any') },
              ...kTypes.map((value) => ({ value, label: t(`documents.type.${value}`) })),
            ]}
          />
        </div>
      </div>
      <div ref={listTop} tabIndex={-1}>
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
        {filters.scope === 'deleted' ? <p class={pageStyles.muted}>{t('documents.deleted_note')}</p> : null}
        <p role="status" class={pageStyles.muted}>
          {state.status === 'loading' ? t('common.loading') : count}
        </p>
        {state.status === 'error' ? (
          <LoadFailed message={errorText(i18n, state.error)} onRetry={() => list.reload()} />
        ) : null}
        <ul id="documents-list" class={listStyles.list} aria-label={t('documents.list')}>
          {state.documents.map((document) => (
            <DocumentItem
              key={String(document.id)}
              document={document}
              busy={restoring === String(document.id)}
              onRestore={() => void restore(document)}
            />
          ))}
        </ul>
      </div>
    </>
  );
}

function DocumentItem(props: { document: DocumentRecord; busy: boolean; onRestore: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { document } = props;
  const deleted = document.deleted_at !== null;
  const version = document.latest_version;
  return (
    <li class={classes(listStyles.item, styles.item, deleted && listStyles.itemMuted)} data-testid="document">
      <div class={styles.itemHead}>
        <h2 class={styles.itemTitle}>
          {deleted ? document.title : <Link href={documentPath(document.id)}>{document.title}</Link>}
        </h2>
        <p class={listStyles.badges}>
          <ClassificationBadge classification={document.classification} />
          {document.pending_scan ? <PendingScanBadge /> : null}
        </p>
      </div>
      <p class={classes(listStyles.facts, styles.facts)}>
        <span>{t('documents.owner_is', { name: document.owner.name })}</span>
        <span>{version ? versionFacts(i18n, version) : t('documents.no_version')}</span>
      </p>
      {deleted ? (
        <div class={listStyles.itemActions}>
          {document.restorable_until ? (
            <span>{t('documents.restorable_until', { date: i18n.dateTime(document.restorable_until) })}</span>
          ) : null}
          <Button
            variant="secondary"
            aria-label={t('documents.restore_named', { title: document.title })}
            aria-disabled={props.busy ? 'true' : undefined}
            onClick={() => {
              if (!props.busy) props.onRestore();
            }}
          >
            {t('documents.restore')}
          </Button>
        </div>
      ) : null}
    </li>
  );
}
