import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Department, Id, InviteeRole } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { DirectorySearch } from '../state/directory_search';
import type { ChosenInvitee } from '../state/meeting_form';
import { Button } from '../ui/Button';
import inputStyles from '../ui/input.module.css';
import { SelectField } from '../ui/SelectField';
import fieldStyles from '../ui/TextField.module.css';
import styles from './Meetings.module.css';

const kRoles: InviteeRole[] = ['participant', 'co-host', 'host'];
const kShownResults = 8;

// Choosing whom to invite: a search over the directory (each result with an
// "Add" button), the chosen people as chips with a role and "Remove", and
// whole departments. Focus stays in the search box after each change, which
// a status line reads out.
export function InviteePicker(props: {
  myId: Id;
  invitees: ChosenInvitee[];
  departments: string[];
  onInvitees: (invitees: ChosenInvitee[]) => void;
  onDepartments: (departments: string[]) => void;
  inviteesError?: string;
  departmentsError?: string;
}) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const { api } = useServices();
  const search = useMemo(() => new DirectorySearch((query, signal) => api.searchEmployees(query, signal)), [api]);
  const state = useStore(search.state);
  const [allDepartments, setAllDepartments] = useState<Department[]>([]);
  const [department, setDepartment] = useState('');
  const [status, setStatus] = useState('');
  const searchBox = useRef<HTMLInputElement>(null);
  const departmentSelect = useRef<HTMLSelectElement>(null);

  useEffect(() => () => search.dispose(), [search]);
  useEffect(() => {
    api.listDepartments().then(
      (answer) => setAllDepartments(answer.items),
      () => setAllDepartments([]),
    );
  }, [api]);

  const chosen = new Set(props.invitees.map((invitee) => String(invitee.employee_id)));
  const results =
    state.query.trim() === ''
      ? []
      : state.results.filter((e) => !chosen.has(String(e.id)) && String(e.id) !== String(props.myId)).slice(0, kShownResults);

  const add = (invitee: ChosenInvitee) => {
    props.onInvitees([...props.invitees, invitee]);
    setStatus(t('schedule.invitees.added', { name: invitee.name }));
    // Ready for the next name.
    search.setQuery('');
    searchBox.current?.focus();
  };
  const remove = (id: Id) => {
    props.onInvitees(props.invitees.filter((invitee) => String(invitee.employee_id) !== String(id)));
    searchBox.current?.focus();
  };
  const setRole = (id: Id, role: InviteeRole) =>
    props.onInvitees(props.invitees.map((invitee) => (String(invitee.employee_id) === String(id) ? { ...invitee, role } : invitee)));

  return (
    <fieldset class={styles.subform}>
      <legend>{t('schedule.invitees.legend')}</legend>
      <p class={styles.muted}>{t('schedule.invitees.you')}</p>
      {props.inviteesError ? (
        <div id="meeting-invitees-error" class={fieldStyles.error} role="alert">
          {props.inviteesError}
        </div>
      ) : null}
      {props.invitees.length === 0 ? (
        <p>{t('schedule.invitees.none')}</p>
      ) : (
        <ul class={styles.chips} aria-label={t('schedule.invitees.chosen')}>
          {props.invitees.map((invitee) => (
            <li key={String(invitee.employee_id)} class={styles.chip} data-testid="invitee-chip">
              <span class={styles.chipName}>
                {invitee.name}
                {invitee.detail ? <span class={styles.muted}> · {invitee.detail}</span> : null}
              </span>
              <SelectField
                compact
                label={t('schedule.invitees.role', { name: invitee.name })}
                value={invitee.role}
                onValue={(role) => setRole(invitee.employee_id, role as InviteeRole)}
                options={kRoles.map((role) => ({ value: role, label: t(`meeting.role.${role}`) }))}
              />
              <Button variant="quiet" onClick={() => remove(invitee.employee_id)}>
                {t('schedule.invitees.remove', { name: invitee.name })}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div class={fieldStyles.field}>
        <label class={fieldStyles.label} for="meeting-invitee-search">
          {t('schedule.invitees.search')}
        </label>
        <input
          ref={searchBox}
          id="meeting-invitee-search"
          type="search"
          class={inputStyles.input}
          value={state.query}
          autocomplete="off"
          spellcheck={false}
          aria-describedby={props.inviteesError ? 'meeting-invitees-error' : undefined}
          aria-controls="meeting-invitee-results"
          onInput={(event) => {
            setStatus('');
            search.setQuery(event.currentTarget.value);
          }}
          onKeyDown={(event) => {
            // Enter searches now instead of sending the whole form.
            if (event.key === 'Enter') {
              event.preventDefault();
              search.searchNow();
            }
          }}
        />
      </div>
      <p role="status" class={styles.muted}>
        {status !== ''
          ? status
          : state.query.trim() !== '' && state.status === 'done'
            ? results.length === 0
              ? t('colleagues.count.none')
              : tp('colleagues.count', results.length)
            : ''}
      </p>
      <ul id="meeting-invitee-results" class={styles.results} aria-label={t('schedule.invitees.results')}>
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
                aria-label={t('schedule.invitees.add', { name: employee.name })}
                onClick={() => {
                  setStatus('');
                  add({ employee_id: employee.id, name: employee.name, detail, role: 'participant' });
                }}
              >
                {t('schedule.invitees.add_short')}
              </Button>
            </li>
          );
        })}
      </ul>

      <div class={styles.inline}>
        <SelectField
          id="meeting-department"
          compact
          label={t('schedule.departments.label')}
          help={t('schedule.departments.note')}
          value={department}
          onValue={setDepartment}
          error={props.departmentsError}
          selectRef={departmentSelect}
          options={[
            { value: '', label: t('schedule.departments.choose') },
            ...allDepartments
              .filter((d) => !props.departments.includes(d.name))
              .map((d) => ({ value: d.name, label: t('colleagues.department.option', { name: d.name, count: d.employee_count }) })),
          ]}
        />
        <Button
          variant="secondary"
          disabled={department === ''}
          onClick={() => {
            if (department === '') return;
            props.onDepartments([...props.departments, department]);
            setDepartment('');
            departmentSelect.current?.focus();
          }}
        >
          {t('schedule.departments.add')}
        </Button>
      </div>
      {props.departments.length > 0 ? (
        <ul class={styles.chips}>
          {props.departments.map((name) => (
            <li key={name} class={styles.chip}>
              <span class={styles.chipName}>{t('schedule.departments.chip', { name })}</span>
              <Button
                variant="quiet"
                onClick={() => {
                  props.onDepartments(props.departments.filter((d) => d !== name));
                  departmentSelect.current?.focus();
                }}
              >
                {t('schedule.departments.remove', { name })}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
