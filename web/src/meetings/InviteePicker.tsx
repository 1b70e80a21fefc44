import { useEffect, useRef, useState } from 'preact/hooks';
import type { Department, Id, InviteeRole } from '../api/types';
import { useServices } from '../app/services';
import { EmployeeSearch, useDirectorySearch } from '../colleagues/EmployeeSearch';
import { useI18n } from '../i18n/I18nContext';
import type { ChosenInvitee } from '../state/meeting_form';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { SelectField } from '../ui/SelectField';
import fieldStyles from '../ui/TextField.module.css';
import styles from './Meetings.module.css';

const kRoles: InviteeRole[] = ['participant', 'co-host', 'host'];

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
  const { t } = useI18n();
  const { api } = useServices();
  const search = useDirectorySearch();
  const [allDepartments, setAllDepartments] = useState<Department[]>([]);
  const [department, setDepartment] = useState('');
  const [status, setStatus] = useState('');
  const searchBox = useRef<HTMLInputElement>(null);
  const departmentSelect = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    api.listDepartments().then(
      (answer) => setAllDepartments(answer.items),
      () => setAllDepartments([]),
    );
  }, [api]);

  const chosen = new Set(props.invitees.map((invitee) => String(invitee.employee_id)));

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
    <fieldset class={classes(pageStyles.subform, styles.subform)}>
      <legend>{t('schedule.invitees.legend')}</legend>
      <p class={pageStyles.muted}>{t('schedule.invitees.you')}</p>
      {props.inviteesError ? (
        <div id="meeting-invitees-error" class={fieldStyles.error} role="alert">
          {props.inviteesError}
        </div>
      ) : null}
      {props.invitees.length === 0 ? (
        <p>{t('schedule.invitees.none')}</p>
      ) : (
        <ul class={listStyles.results} aria-label={t('schedule.invitees.chosen')}>
          {props.invitees.map((invitee) => (
            <li key={String(invitee.employee_id)} class={styles.chip} data-testid="invitee-chip">
              <span class={styles.chipName}>
                {invitee.name}
                {invitee.detail ? <span class={pageStyles.muted}> · {invitee.detail}</span> : null}
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
      <EmployeeSearch
        search={search}
        idPrefix="meeting-invitee"
        label={t('schedule.invitees.search')}
        resultsLabel={t('schedule.invitees.results')}
        inputRef={searchBox}
        describedBy={props.inviteesError ? 'meeting-invitees-error' : undefined}
        status={status}
        offer={(e) => !chosen.has(String(e.id)) && String(e.id) !== String(props.myId)}
        actionLabel={(employee) => t('schedule.invitees.add', { name: employee.name })}
        actionText={t('schedule.invitees.add_short')}
        onAction={(employee, detail) => {
          setStatus('');
          add({ employee_id: employee.id, name: employee.name, detail, role: 'participant' });
        }}
        onInput={() => setStatus('')}
      />

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
        <ul class={listStyles.results}>
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
