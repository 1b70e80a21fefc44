import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Id } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { DirectorySearch } from '../state/directory_search';
import { Button } from '../ui/Button';
import inputStyles from '../ui/input.module.css';
import fieldStyles from '../ui/TextField.module.css';
import styles from './Documents.module.css';

const kShownResults = 8;

export interface ChosenEmployee {
  id: Id;
  name: string;
}

// One employee chosen from the directory: a search box, the people found
// each with "Choose", then the chosen one with "Choose someone else".
export function EmployeeChooser(props: {
  chosen: ChosenEmployee | null;
  onChoose: (employee: ChosenEmployee | null) => void;
  excludeId?: Id;
  error?: string;
}) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const { api } = useServices();
  const search = useMemo(() => new DirectorySearch((query, signal) => api.searchEmployees(query, signal)), [api]);
  const state = useStore(search.state);
  const searchBox = useRef<HTMLInputElement>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const wasChosen = useRef(props.chosen !== null);

  useEffect(() => () => search.dispose(), [search]);
  // Focus follows the change: to "Choose someone else" after a choice, back
  // to the search box after it.
  useEffect(() => {
    const isChosen = props.chosen !== null;
    if (isChosen !== wasChosen.current) (isChosen ? changeButton : searchBox).current?.focus();
    wasChosen.current = isChosen;
  }, [props.chosen]);

  if (props.chosen) {
    return (
      <div class={styles.chosenGrantee}>
        <span>{t('share.employee.chosen', { name: props.chosen.name })}</span>
        <Button variant="quiet" buttonRef={changeButton} onClick={() => props.onChoose(null)}>
          {t('share.employee.change')}
        </Button>
      </div>
    );
  }

  const results =
    state.query.trim() === ''
      ? []
      : state.results.filter((e) => String(e.id) !== String(props.excludeId ?? '')).slice(0, kShownResults);
  const errorId = 'share-employee-error';
  return (
    <>
      <div class={fieldStyles.field}>
        <label class={fieldStyles.label} for="share-employee-search">
          {t('share.employee.search')}
        </label>
        {props.error ? (
          <div id={errorId} class={fieldStyles.error} role="alert">
            {props.error}
          </div>
        ) : null}
        <input
          ref={searchBox}
          id="share-employee-search"
          type="search"
          class={inputStyles.input}
          value={state.query}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? errorId : undefined}
          aria-controls="share-employee-results"
          onInput={(event) => search.setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter searches now instead of sending the form.
            if (event.key === 'Enter') {
              event.preventDefault();
              search.searchNow();
            }
          }}
        />
      </div>
      <p role="status" class={styles.muted}>
        {state.query.trim() !== '' && state.status === 'done'
          ? results.length === 0
            ? t('colleagues.count.none')
            : tp('colleagues.count', results.length)
          : ''}
      </p>
      <ul id="share-employee-results" class={styles.results} aria-label={t('share.employee.results')}>
        {results.map((employee) => {
          const detail = [employee.position, employee.department?.name].filter(Boolean).join(', ');
          return (
            <li key={String(employee.id)} class={styles.result}>
              <span>
                <strong>{employee.name}</strong>
                {detail ? <span class={styles.muted}> · {detail}</span> : null}
              </span>
              <Button
                variant="secondary"
                aria-label={t('share.employee.choose_named', { name: employee.name })}
                onClick={() => props.onChoose({ id: employee.id, name: employee.name })}
              >
                {t('share.employee.choose')}
              </Button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
