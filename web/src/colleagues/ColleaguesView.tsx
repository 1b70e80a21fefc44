import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Department } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { DirectorySearch, kSearchLimit, type DirectoryState } from '../state/directory_search';
import { Alert } from '../ui/Alert';
import { PageHeading } from '../ui/PageHeading';
import inputStyles from '../ui/input.module.css';
import { problemText } from '../ui/problem_text';
import styles from './ColleaguesView.module.css';
import { EmployeeCard } from './EmployeeCard';

// The directory of colleagues: search by name, position or code, filter by
// department; each card shows presence and offers a call. The count of
// results is announced in a live region.
export function ColleaguesView() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, presence, session } = useServices();
  const me = useStore(session.state).me;
  const search = useMemo(
    () =>
      new DirectorySearch(async (query, signal) => {
        const answer = await api.searchEmployees(query, signal);
        // The directory carries no presence: ask for the people found (the
        // cards show it when it comes); live events update it from here on.
        if (!signal.aborted) void presence.watch(answer.items.map((employee) => employee.id));
        return answer;
      }),
    [api, presence],
  );
  const state = useStore(search.state);
  const [departments, setDepartments] = useState<Department[]>([]);

  useEffect(() => {
    search.searchNow();
    return () => search.dispose();
  }, [search]);

  useEffect(() => {
    api.listDepartments().then(
      (answer) => setDepartments(answer.items),
      // Without departments the filter offers "all" only; the search works.
      () => setDepartments([]),
    );
  }, [api]);

  return (
    <>
      <PageHeading>{t('colleagues.title')}</PageHeading>
      <p class={styles.lead}>{t('colleagues.lead')}</p>
      <form
        role="search"
        class={styles.filters}
        onSubmit={(event) => {
          event.preventDefault();
          search.searchNow();
        }}
      >
        <div class={styles.filter}>
          <label for="colleagues-q">{t('colleagues.search.label')}</label>
          <input
            id="colleagues-q"
            type="search"
            class={inputStyles.input}
            value={state.query}
            onInput={(event) => search.setQuery(event.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
          />
        </div>
        <div class={styles.filter}>
          <label for="colleagues-department">{t('colleagues.department.label')}</label>
          <select
            id="colleagues-department"
            class={inputStyles.input}
            value={state.department}
            onChange={(event) => search.setDepartment(event.currentTarget.value)}
          >
            <option value="">{t('colleagues.department.all')}</option>
            {departments.map((department) => (
              <option key={department.id} value={department.id}>
                {t('colleagues.department.option', { name: department.name, count: department.employee_count })}
              </option>
            ))}
          </select>
        </div>
      </form>
      <p class={styles.count} role="status" aria-live="polite">
        {countText(i18n, state)}
      </p>
      {state.status === 'error' && state.error ? (
        <Alert tone="error">{problemText(i18n, state.error)}</Alert>
      ) : null}
      <section aria-labelledby="colleagues-results" aria-busy={state.status === 'loading' ? 'true' : 'false'}>
        <h2 id="colleagues-results" class="visually-hidden">
          {t('colleagues.results')}
        </h2>
        <ul class={styles.results}>
          {state.results.map((employee) => (
            <li key={employee.id}>
              <EmployeeCard employee={employee} isMe={me !== null && String(me.id) === String(employee.id)} />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function countText(i18n: ReturnType<typeof useI18n>, state: DirectoryState): string {
  // Only settled results are announced; "searching" on every keystroke
  // would be noise. Emptied while loading so that the same count after a
  // new search is announced again.
  if (state.status !== 'done') return '';
  const count = state.results.length;
  if (count === 0) return i18n.t('colleagues.count.none');
  if (count >= kSearchLimit) return i18n.t('colleagues.count.limit', { count });
  return i18n.tp('colleagues.count', count);
}
