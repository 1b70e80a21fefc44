import { useEffect, useRef } from 'preact/hooks';
import type { Id } from '../api/types';
import { EmployeeSearch, useDirectorySearch } from '../colleagues/EmployeeSearch';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import styles from './Documents.module.css';

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
  const { t } = useI18n();
  const search = useDirectorySearch();
  const searchBox = useRef<HTMLInputElement>(null);
  const changeButton = useRef<HTMLButtonElement>(null);
  const wasChosen = useRef(props.chosen !== null);

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

  return (
    <EmployeeSearch
      search={search}
      idPrefix="share-employee"
      label={t('share.employee.search')}
      resultsLabel={t('share.employee.results')}
      inputRef={searchBox}
      error={props.error}
      offer={(employee) => String(employee.id) !== String(props.excludeId ?? '')}
      actionLabel={(employee) => t('share.employee.choose_named', { name: employee.name })}
      actionText={t('share.employee.choose')}
      onAction={(employee) => props.onChoose({ id: employee.id, name: employee.name })}
    />
  );
}
