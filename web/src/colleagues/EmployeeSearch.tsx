import type { Ref } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import type { Employee } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { DirectorySearch } from '../state/directory_search';
import { Button } from '../ui/Button';
import inputStyles from '../ui/input.module.css';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import fieldStyles from '../ui/TextField.module.css';

const kShownResults = 8;

// A directory search for as long as the component that calls it is mounted.
export function useDirectorySearch(): DirectorySearch {
  const { api } = useServices();
  const search = useMemo(() => new DirectorySearch((query, signal) => api.searchEmployees(query, signal)), [api]);
  useEffect(() => () => search.dispose(), [search]);
  return search;
}

// Picking people from the directory inside a form: the search box (Enter
// searches at once instead of sending the form), a status line with how many
// were found, and the first of them, each with one action button. The caller
// owns `search` (useDirectorySearch), so the query outlives this part of its
// form. Ids: `${idPrefix}-search`, `-results` and `-error`.
export function EmployeeSearch(props: {
  search: DirectorySearch;
  idPrefix: string;
  label: string;
  resultsLabel: string;
  inputRef?: Ref<HTMLInputElement>;
  // Shown in the field, and the search box is marked invalid.
  error?: string;
  // The id of an error shown elsewhere in the form.
  describedBy?: string;
  // Said in the status line instead of the count, unless empty.
  status?: string;
  // Which of the people found may be offered.
  offer: (employee: Employee) => boolean;
  actionLabel: (employee: Employee) => string;
  actionText: string;
  // `detail`: the position and department as shown.
  onAction: (employee: Employee, detail: string) => void;
  onInput?: () => void;
}) {
  const { t, tp } = useI18n();
  const { search } = props;
  const state = useStore(search.state);
  const results = state.query.trim() === '' ? [] : state.results.filter(props.offer).slice(0, kShownResults);
  const errorId = `${props.idPrefix}-error`;
  const resultsId = `${props.idPrefix}-results`;
  return (
    <>
      <div class={fieldStyles.field}>
        <label class={fieldStyles.label} for={`${props.idPrefix}-search`}>
          {props.label}
        </label>
        {props.error ? (
          <div id={errorId} class={fieldStyles.error} role="alert">
            {props.error}
          </div>
        ) : null}
        <input
          ref={props.inputRef}
          id={`${props.idPrefix}-search`}
          type="search"
          class={inputStyles.input}
          value={state.query}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? errorId : props.describedBy}
          aria-controls={resultsId}
          onInput={(event) => {
            props.onInput?.();
            search.setQuery(event.currentTarget.value);
          }}
          onKeyDown={(event) => {
            // Enter searches now instead of sending the form.
            if (event.key === 'Enter') {
              event.preventDefault();
              search.searchNow();
            }
          }}
        />
      </div>
      <p role="status" class={pageStyles.muted}>
        {props.status
          ? props.status
          : state.query.trim() !== '' && state.status === 'done'
            ? results.length === 0
              ? t('colleagues.count.none')
              : tp('colleagues.count', results.length)
            : ''}
      </p>
      <ul id={resultsId} class={listStyles.results} aria-label={props.resultsLabel}>
        {results.map((employee) => {
          const detail = [employee.position, employee.department?.name].filter(Boolean).join(', ');
          return (
            <li key={String(employee.id)} class={listStyles.result}>
              <span>
                <strong>{employee.name}</strong>
                {detail ? <span class={pageStyles.muted}> · {detail}</span> : null}
              </span>
              <Button variant="secondary" aria-label={props.actionLabel(employee)} onClick={() => props.onAction(employee, detail)}>
                {props.actionText}
              </Button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
