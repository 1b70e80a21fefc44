import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { kMeetingKinds, type Me, type Meeting, type Person, type Room } from '../api/types';
import { Link } from '../app/Link';
import { kPaths, meetingPath } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import {
  availabilityRequest,
  fieldOfProblem,
  kMeetingFields,
  kReminderChoices,
  meetingRequest,
  meetingTimes,
  meetingToValues,
  newMeetingValues,
  startsInThePast,
  validateMeetingForm,
  type MeetingField,
  type MeetingFormValues,
} from '../state/meeting_form';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { classes } from '../ui/classes';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { SelectField } from '../ui/SelectField';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import { InviteePicker } from './InviteePicker';
import { RecurrenceFields } from './RecurrenceFields';
import { MeetingNotFound } from './MeetingNotFound';
import styles from './Meetings.module.css';

// The element that takes focus for a field in error.
const kFieldElement: Record<MeetingField, string> = {
  title: 'meeting-title',
  agenda: 'meeting-agenda',
  kind: 'meeting-kind',
  hall: 'meeting-hall',
  date: 'meeting-date',
  start: 'meeting-start',
  end: 'meeting-end',
  interval: 'meeting-interval',
  weekdays: 'meeting-weekdays-first',
  until: 'meeting-until',
  invitees: 'meeting-invitee-search',
  departments: 'meeting-department',
  reminders: 'meeting-reminders-first',
};

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; meeting: Meeting | null }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// Scheduling a meeting (meetingId null) or changing one. Before saving it
// asks the server whether the invitees are free; busy people are named, and
// the organiser may save anyway. Times are entered in Europe/Sofia.
export function MeetingFormView(props: { me: Me; meetingId: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, router } = useServices();
  const [load, setLoad] = useState<Load>(props.meetingId ? { kind: 'loading' } : { kind: 'ready', meeting: null });
  const [values, setValues] = useState<MeetingFormValues>(() => newMeetingValues(Date.now()));
  const [halls, setHalls] = useState<Room[]>([]);
  const [errors, setErrors] = useState<Partial<Record<MeetingField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busyPeople, setBusyPeople] = useState<Person[] | null>(null);
  const [phase, setPhase] = useState<'idle' | 'checking' | 'saving'>('idle');
  const [focusField, setFocusField] = useState<{ field: MeetingField } | null>(null);
  const warning = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api.listRooms().then(
      (rooms) => setHalls(rooms.halls),
      () => setHalls([]),
    );
    if (!props.meetingId) return;
    api.getMeeting(props.meetingId).then(
      (meeting) => {
        setValues(meetingToValues(meeting));
        setLoad({ kind: 'ready', meeting });
      },
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) setLoad({ kind: 'not-found' });
        else setLoad({ kind: 'failed', message: errorText(i18n, error) });
      },
    );
  }, [api, props.meetingId]);

  useEffect(() => {
    if (focusField) document.getElementById(kFieldElement[focusField.field])?.focus();
  }, [focusField]);
  useEffect(() => {
    if (busyPeople) warning.current?.focus();
  }, [busyPeople]);

  const set = <K extends keyof MeetingFormValues>(name: K, value: MeetingFormValues[K]) => {
    setValues((old) => ({ ...old, [name]: value }));
    // A change makes an earlier "busy" answer stale.
    setBusyPeople(null);
  };

  const showErrors = (found: Partial<Record<MeetingField, string>>, message: string | null = null) => {
    setErrors(found);
    setFormError(message);
    const first = kMeetingFields.find((field) => found[field]);
    if (first) setFocusField({ field: first });
  };

  const editing = load.kind === 'ready' && load.meeting !== null ? load.meeting : null;

  const save = async (allowConflicts: boolean) => {
    setPhase('saving');
    try {
      const request = meetingRequest(values, allowConflicts);
      const saved = editing ? await api.updateMeeting(editing.id, request) : await api.createMeeting(request);
      router.navigate(meetingPath(saved.id));
    } catch (error) {
      handleSaveError(error);
    } finally {
      setPhase('idle');
    }
  };

  const handleSaveError = (error: unknown) => {
    if (!(error instanceof ApiError)) {
      showErrors({}, errorText(i18n, error));
      return;
    }
    if (error.slug === 'invitees-busy') {
      setErrors({});
      setFormError(null);
      setBusyPeople(peopleOf(error.problem.busy));
    } else if (error.slug === 'hall-busy') {
      showErrors({ hall: values.place === 'hall' ? t('schedule.hall_busy') : undefined }, values.place === 'hall' ? null : t('schedule.hall_busy'));
    } else {
      const field = fieldOfProblem(error);
      if (field) showErrors({ [field]: errorText(i18n, error) });
      else showErrors({}, errorText(i18n, error));
    }
  };

  const submit = async () => {
    if (phase !== 'idle') return;
    const found = validateMeetingForm(values);
    // A meeting already under way may keep its start; a new or moved one
    // may not begin in the past.
    if (!found.date && !found.start && startsInThePast(values.date, values.start, Date.now())) {
      const moved = !editing || meetingTimes(values).starts_at !== meetingTimes(meetingToValues(editing)).starts_at;
      if (moved) found.start = 'schedule.error.start_past';
    }
    if (Object.keys(found).length > 0) {
      showErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])));
      return;
    }
    showErrors({});
    setBusyPeople(null);
    setPhase('checking');
    try {
      const answer = await api.checkAvailability(availabilityRequest(values, editing ? editing.id : null));
      if (answer.hall_busy) {
        setPhase('idle');
        handleSaveError(new ApiError({ type: 'urn:egovbox:problem:hall-busy', status: 409 }));
        return;
      }
      if (answer.busy.length > 0) {
        setPhase('idle');
        setBusyPeople(answer.busy);
        return;
      }
    } catch (error) {
      // The check is a courtesy: saving checks again (409 invitees-busy).
      // Bad input, though, would be bad for the save too.
      if (error instanceof ApiError && error.slug === 'invalid-field') {
        setPhase('idle');
        handleSaveError(error);
        return;
      }
    }
    await save(false);
  };

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'not-found') return <MeetingNotFound />;
  if (load.kind === 'failed') return <Alert tone="error">{load.message}</Alert>;

  const reminderChoices = [...new Set([...kReminderChoices, ...values.reminders])].sort((a, b) => b - a);
  const hallOptions = [
    { value: '', label: halls.length === 0 ? t('schedule.hall.none') : t('schedule.hall.choose') },
    ...halls.map((hall) => ({
      value: String(hall.id),
      label: hall.capacity ? t('schedule.hall.capacity', { name: hall.name, count: hall.capacity }) : hall.name,
    })),
  ];
  const blocked = phase !== 'idle';

  return (
    <>
      <PageHeading>{editing ? t('schedule.edit_title') : t('schedule.new_title')}</PageHeading>
      <p class={pageStyles.lead}>{t('schedule.lead')}</p>
      <Form class={pageStyles.form} busy={blocked} onSubmit={() => void submit()}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          id="meeting-title"
          label={t('schedule.title.label')}
          value={values.title}
          onValue={(v) => set('title', v)}
          error={errors.title}
          maxLength={200}
          required
        />
        <TextAreaField
          id="meeting-agenda"
          label={t('schedule.agenda.label')}
          value={values.agenda}
          onValue={(v) => set('agenda', v)}
          error={errors.agenda}
          rows={5}
        />
        <SelectField
          id="meeting-kind"
          label={t('schedule.kind.label')}
          value={values.kind}
          onValue={(v) => set('kind', v as MeetingFormValues['kind'])}
          error={errors.kind}
          options={kMeetingKinds.map((kind) => ({ value: kind, label: t(`meeting.kind.${kind}`) }))}
        />
        <ChoiceGroup
          legend={t('schedule.place.legend')}
          type="radio"
          name="meeting-place"
          inline
          choices={[
            { value: 'personal', label: t('schedule.place.personal') },
            { value: 'hall', label: t('schedule.place.hall') },
          ]}
          selected={[values.place]}
          onChange={(chosen) => set('place', chosen[0] === 'hall' ? 'hall' : 'personal')}
        />
        {values.place === 'hall' ? (
          <SelectField
            id="meeting-hall"
            label={t('schedule.hall.label')}
            value={values.hallId}
            onValue={(v) => set('hallId', v)}
            error={errors.hall}
            options={hallOptions}
          />
        ) : null}
        <fieldset class={classes(pageStyles.subform, styles.subform)}>
          <legend>{t('schedule.time.legend')}</legend>
          <div class={styles.row}>
            <TextField
              id="meeting-date"
              type="date"
              label={t('schedule.date.label')}
              value={values.date}
              onValue={(v) => set('date', v)}
              error={errors.date}
              required
            />
            <TextField
              id="meeting-start"
              type="time"
              label={t('schedule.start.label')}
              value={values.start}
              onValue={(v) => set('start', v)}
              error={errors.start}
              step={300}
              required
            />
            <TextField
              id="meeting-end"
              type="time"
              label={t('schedule.end.label')}
              value={values.end}
              onValue={(v) => set('end', v)}
              error={errors.end}
              step={300}
              required
            />
          </div>
          <RecurrenceFields values={values} errors={errors} onChange={set} />
        </fieldset>
        <InviteePicker
          myId={props.me.id}
          invitees={values.invitees}
          departments={values.departments}
          onInvitees={(invitees) => set('invitees', invitees)}
          onDepartments={(departments) => set('departments', departments)}
          inviteesError={errors.invitees}
          departmentsError={errors.departments}
        />
        <ChoiceGroup
          id="meeting-reminders"
          legend={t('schedule.reminders.legend')}
          type="checkbox"
          choices={reminderChoices.map((seconds) => ({
            value: String(seconds),
            label: t('time.before', { time: i18n.seconds(seconds) }),
          }))}
          selected={values.reminders.map(String)}
          onChange={(chosen) => set('reminders', chosen.map(Number))}
          error={errors.reminders}
        />
        {busyPeople ? (
          <div ref={warning} tabIndex={-1} class={styles.warning} data-testid="busy-warning">
            <Alert tone="error" title={t('schedule.busy.title')}>
              <p>{t('schedule.busy.text', { names: i18n.list(busyPeople.map((p) => p.name)) })}</p>
            </Alert>
            <div class={pageStyles.actions}>
              <Button variant="danger" aria-disabled={blocked ? 'true' : undefined} onClick={() => void save(true)}>
                {t('schedule.busy.save_anyway')}
              </Button>
            </div>
          </div>
        ) : null}
        {phase === 'checking' ? <p role="status">{t('schedule.checking')}</p> : null}
        <div class={pageStyles.actions}>
          <SubmitButton blocked={blocked}>{editing ? t('schedule.submit_edit') : t('schedule.submit_new')}</SubmitButton>
          <Link href={editing ? meetingPath(editing.id) : kPaths.meetings}>{t('common.cancel')}</Link>
        </div>
      </Form>
    </>
  );
}

function peopleOf(value: unknown): Person[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p): p is Person => !!p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string',
  );
}
