import { useMemo, useState } from 'preact/hooks';
import { sameId, type Meeting, type Occurrence } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../i18n/format';
import { translate } from '../i18n/i18n';
import { startsInThePast } from '../state/meeting_form';
import { isValidDate, isValidTime, sofiaWallToUtc, toRfc3339, utcToSofiaWall } from '../state/sofia_time';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { classes } from '../ui/classes';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Form } from '../ui/Form';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { TextField } from '../ui/TextField';
import styles from './Meetings.module.css';
import { useUpcoming } from './use_upcoming';

const kLookAheadMs = 62 * 86_400_000;

// The coming occurrences of a recurring meeting (the next two months), each
// of which the organiser or a co-host may move or cancel on its own.
export function OccurrencesSection(props: { meeting: Meeting; canEdit: boolean; onChanged: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, announcer } = useServices();
  // Fixed for the life of the page: a moving window would reload forever.
  const range = useMemo(() => {
    const now = Date.now();
    return { from: toRfc3339(now), to: toRfc3339(now + kLookAheadMs) };
  }, []);
  const { load, reload } = useUpcoming(range.from, range.to);
  const [moving, setMoving] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<Occurrence | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const items = load.occurrences.filter((o) => sameId(o.meeting_id, props.meeting.id));

  const cancel = async (occurrence: Occurrence) => {
    setBusy(true);
    try {
      await api.cancelOccurrence(props.meeting.id, occurrence.occurrence);
      const when = occurrence.starts_at;
      announcer.say((lang) => translate(lang, 'meeting.occurrence.cancelled', { when: formatDateTime(lang, when) }));
      setCancelling(null);
      reload();
      props.onChanged();
    } catch (caught) {
      setError(errorText(i18n, caught));
    } finally {
      setBusy(false);
    }
  };

  if (load.status === 'loading' && items.length === 0) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      {load.status === 'failed' ? <Alert tone="error">{errorText(i18n, load.error)}</Alert> : null}
      {items.length === 0 ? <p class={pageStyles.muted}>{t('meeting.occurrences.none')}</p> : null}
      <ul class={listStyles.list}>
        {items.map((occurrence) => {
          const when = i18n.timeRange(occurrence.starts_at, occurrence.ends_at);
          const cancelled = occurrence.status === 'cancelled';
          return (
            <li key={occurrence.occurrence} class={styles.occurrenceRow} data-testid="series-occurrence">
              <p>
                <time dateTime={occurrence.starts_at}>{when}</time>
                {cancelled ? <span class={listStyles.badgeDanger}>{t('meetings.cancelled')}</span> : null}
              </p>
              {props.canEdit && !cancelled ? (
                moving === occurrence.occurrence ? (
                  <MoveForm
                    meeting={props.meeting}
                    occurrence={occurrence}
                    onDone={() => {
                      setMoving(null);
                      reload();
                      props.onChanged();
                    }}
                    onCancel={() => setMoving(null)}
                  />
                ) : (
                  <div class={pageStyles.actions}>
                    <Button variant="secondary" aria-label={t('meeting.occurrence.move_named', { when })} onClick={() => setMoving(occurrence.occurrence)}>
                      {t('meeting.occurrence.move')}
                    </Button>
                    <Button
                      variant="danger"
                      aria-label={t('meeting.occurrence.cancel_named', { when })}
                      onClick={() => {
                        setError(null);
                        setCancelling(occurrence);
                      }}
                    >
                      {t('meeting.occurrence.cancel')}
                    </Button>
                  </div>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      {cancelling ? (
        <ConfirmDialog
          title={t('meeting.occurrence.cancel_confirm.title', { when: i18n.timeRange(cancelling.starts_at, cancelling.ends_at) })}
          text={t('meeting.occurrence.cancel_confirm.text')}
          confirm={t('meeting.occurrence.cancel_confirm.yes')}
          dismiss={t('meeting.cancel_confirm.no')}
          busy={busy}
          error={error}
          onConfirm={() => void cancel(cancelling)}
          onDismiss={() => setCancelling(null)}
        />
      ) : null}
    </>
  );
}

function MoveForm(props: { meeting: Meeting; occurrence: Occurrence; onDone: () => void; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, announcer } = useServices();
  const start = utcToSofiaWall(props.occurrence.starts_at);
  const [date, setDate] = useState(start.date);
  const [from, setFrom] = useState(start.time);
  const [to, setTo] = useState(utcToSofiaWall(props.occurrence.ends_at).time);
  const [errors, setErrors] = useState<{ date?: string; start?: string; end?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const key = props.occurrence.occurrence.replace(/\W/g, '');

  const submit = async () => {
    if (busy) return;
    const found: typeof errors = {};
    if (!isValidDate(date)) found.date = t('schedule.error.date_required');
    if (!isValidTime(from)) found.start = t('schedule.error.time_invalid');
    if (!isValidTime(to)) found.end = t('schedule.error.time_invalid');
    else if (isValidTime(from) && to <= from) found.end = t('schedule.error.end_before_start');
    if (!found.date && !found.start && startsInThePast(date, from, Date.now())) {
      found.start = t('schedule.error.start_past');
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = found.date ? 'date' : found.start ? 'start' : 'end';
      document.getElementById(`move-${key}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const times = {
        starts_at: sofiaWallToUtc({ date, time: from }),
        ends_at: sofiaWallToUtc({ date, time: to }),
      };
      await api.moveOccurrence(props.meeting.id, props.occurrence.occurrence, times);
      announcer.say((lang) => translate(lang, 'meeting.occurrence.moved'));
      props.onDone();
    } catch (caught) {
      setErrors({ form: errorText(i18n, caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
      <fieldset class={classes(pageStyles.subform, styles.subform)}>
        <legend>
          {t('meeting.occurrence.move_legend', { when: i18n.timeRange(props.occurrence.starts_at, props.occurrence.ends_at) })}
        </legend>
        {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        <div class={styles.row}>
          <TextField id={`move-${key}-date`} type="date" label={t('schedule.date.label')} value={date} onValue={setDate} error={errors.date} />
          <TextField id={`move-${key}-start`} type="time" label={t('schedule.start.label')} value={from} onValue={setFrom} error={errors.start} />
          <TextField id={`move-${key}-end`} type="time" label={t('schedule.end.label')} value={to} onValue={setTo} error={errors.end} />
        </div>
        <div class={pageStyles.actions}>
          <SubmitButton blocked={busy}>{t('meeting.occurrence.move_save')}</SubmitButton>
          <Button variant="secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </Button>
        </div>
      </fieldset>
    </Form>
  );
}
