import { useEffect, useRef, useState } from 'preact/hooks';
import { meetingCalendarUrl } from '../api/egovbox_api';
import { sameId, type Me, type Meeting } from '../api/types';
import { Link } from '../app/Link';
import { kPaths, meetingEditPath, roomPath } from '../app/router';
import { useServices } from '../app/services';
import { useReloadOnReconnect, useRealtimeEvent } from '../app/use_realtime';
import { useI18n } from '../i18n/I18nContext';
import { translate } from '../i18n/i18n';
import { recurrenceText } from '../state/recurrence_text';
import { Alert } from '../ui/Alert';
import { Button, buttonClass } from '../ui/Button';
import { Card } from '../ui/Card';
import { classes } from '../ui/classes';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { afterLoadError, LoadFailed } from '../ui/LoadFailed';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { MeetingDocuments } from './MeetingDocuments';
import { MeetingJoinPanel } from './MeetingJoinPanel';
import { MeetingNotFound } from './MeetingNotFound';
import styles from './Meetings.module.css';
import { MyRemindersForm } from './MyRemindersForm';
import { OccurrencesSection } from './OccurrencesSection';
import { RsvpForm } from './RsvpForm';

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; meeting: Meeting }
  | { kind: 'not-found' }
  | { kind: 'failed'; message: string };

// A meeting's page: details, invitees and their answers, my answer and my
// reminders, joining, the .ics file, and for the organiser (and co-hosts)
// editing, cancelling and the single occurrences of a series. Reloads when
// the server says the meeting changed.
export function MeetingView(props: { me: Me; meetingId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, announcer } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [confirming, setConfirming] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [cancelBusy, setCancelBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [occurrencesKey, setOccurrencesKey] = useState(0);
  const top = useRef<HTMLDivElement>(null);

  const reload = async () => {
    try {
      const meeting = await api.getMeeting(props.meetingId);
      setLoad({ kind: 'loaded', meeting });
    } catch (error) {
      setLoad(afterLoadError<Load>(i18n, error));
    }
  };

  useEffect(() => {
    setLoad({ kind: 'loading' });
    void reload();
  }, [props.meetingId]);
  const changed = () =>
    void reload().then(() => {
      announcer.say((lang) => translate(lang, 'meeting.changed'));
      setOccurrencesKey((k) => k + 1);
    });
  useRealtimeEvent('meeting.changed', (event) => {
    if (sameId(event.meeting_id, props.meetingId)) changed();
  });
  // An invitee who is notified of a change (rescheduled, cancelled) gets the
  // notification instead of meeting.changed.
  useRealtimeEvent('notification', (event) => {
    const { kind, payload } = event.notification;
    const about = payload?.meeting_id;
    if (!kind.startsWith('meeting.') || kind === 'meeting.reminder') return;
    if ((typeof about === 'string' || typeof about === 'number') && sameId(about, props.meetingId)) changed();
  });
  useReloadOnReconnect(() => void reload());

  if (load.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (load.kind === 'not-found') return <MeetingNotFound />;
  if (load.kind === 'failed') {
    return (
      <LoadFailed message={load.message} onRetry={() => void reload()} />
    );
  }

  const { meeting } = load;
  const isOrganiser = sameId(meeting.organiser.id, props.me.id);
  const canEdit = isOrganiser || meeting.my_role === 'co-host' || meeting.my_role === 'host';
  const cancelled = meeting.status === 'cancelled';
  const shown = meeting.next_occurrence ?? { starts_at: meeting.starts_at, ends_at: meeting.ends_at };
  const update = (next: Meeting) => setLoad({ kind: 'loaded', meeting: next });

  const cancelMeeting = async () => {
    setCancelBusy(true);
    setCancelError(null);
    try {
      await api.cancelMeeting(meeting.id);
      setConfirming(false);
      setNotice(t('meeting.cancelled_now'));
      await reload();
      top.current?.focus();
    } catch (error) {
      setCancelError(errorText(i18n, error));
    } finally {
      setCancelBusy(false);
    }
  };

  return (
    <div ref={top} tabIndex={-1}>
      <PageHeading>{meeting.title}</PageHeading>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {cancelled && !notice ? <Alert tone="error">{t('meeting.is_cancelled')}</Alert> : null}
      <div class={classes(pageStyles.sections, styles.sections)}>
        {cancelled ? null : (
          <Card title={t('meeting.join.title')}>
            <MeetingJoinPanel meeting={meeting} />
          </Card>
        )}
        <Card title={t('meeting.details')}>
          <dl class={classes(pageStyles.details, styles.details)}>
            <dt>{meeting.next_occurrence ? t('meeting.when') : t('meeting.first')}</dt>
            <dd>
              <time dateTime={shown.starts_at}>{i18n.timeRange(shown.starts_at, shown.ends_at)}</time>
            </dd>
            <dt>{t('meeting.repeats')}</dt>
            <dd>{recurrenceText(i18n.lang, meeting.recurrence, meeting.starts_at)}</dd>
            <dt>{t('meeting.kind')}</dt>
            <dd>{i18n.td(`meeting.kind.${meeting.kind}`) ?? meeting.kind}</dd>
            <dt>{t('meetings.place')}</dt>
            <dd>
              <Link href={roomPath(meeting.room.id)}>{meeting.room.name}</Link>
            </dd>
            <dt>{t('meetings.organiser')}</dt>
            <dd>{meeting.organiser.name}</dd>
          </dl>
          <div class={pageStyles.actions}>
            <a href={meetingCalendarUrl(meeting.id)} download class={buttonClass('secondary')}>
              {t('meeting.ics')}
            </a>
            {canEdit && !cancelled ? (
              <Link href={meetingEditPath(meeting.id)} class={buttonClass('secondary')}>
                {t('meeting.edit')}
              </Link>
            ) : null}
            {isOrganiser && !cancelled ? (
              <Button
                variant="danger"
                onClick={() => {
                  setCancelError(null);
                  setConfirming(true);
                }}
              >
                {t('meeting.cancel')}
              </Button>
            ) : null}
          </div>
        </Card>
        <Card title={t('meeting.agenda')}>
          {meeting.agenda ? <p class={styles.agenda}>{meeting.agenda}</p> : <p class={pageStyles.muted}>{t('meeting.agenda_empty')}</p>}
        </Card>
        <Card title={t('meeting.invitees')}>
          <ul class={styles.invitees}>
            {meeting.invitees.map((invitee) => (
              <li key={String(invitee.employee_id)} class={styles.invitee} data-testid="invitee">
                <span>
                  <span class={styles.inviteeName}>{invitee.name}</span>
                  {invitee.department ? <span class={styles.inviteeMeta}> · {invitee.department}</span> : null}
                  <br />
                  <span class={styles.inviteeMeta}>
                    {sameId(invitee.employee_id, meeting.organiser.id)
                      ? t('meeting.invitee.role_organiser', { role: i18n.td(`meeting.role.${invitee.role}`) ?? invitee.role })
                      : (i18n.td(`meeting.role.${invitee.role}`) ?? invitee.role)}
                  </span>
                </span>
                <span class={classes(styles[`response-${invitee.response}`])}>
                  {i18n.td(`meeting.response.${invitee.response}`) ?? invitee.response}
                </span>
                {invitee.comment ? <p class={styles.comment}>{t('meeting.invitee.comment', { comment: invitee.comment })}</p> : null}
              </li>
            ))}
          </ul>
        </Card>
        <MeetingDocuments meetingId={meeting.id} reloadKey={occurrencesKey} />
        {meeting.my_role && !cancelled ? (
          <Card title={t('meeting.rsvp.title')}>
            <RsvpForm key={`rsvp-${meeting.sequence}`} meeting={meeting} onSaved={update} />
          </Card>
        ) : null}
        {meeting.my_role && !cancelled ? (
          <Card title={t('meeting.reminders.title')}>
            <MyRemindersForm key={`reminders-${meeting.sequence}`} meeting={meeting} onSaved={update} />
          </Card>
        ) : null}
        {meeting.recurrence && !cancelled ? (
          <Card title={t('meeting.occurrences.title')}>
            <OccurrencesSection
              key={occurrencesKey}
              meeting={meeting}
              canEdit={canEdit}
              onChanged={() => void reload()}
            />
          </Card>
        ) : null}
        <p>
          <Link href={kPaths.meetings}>{t('meeting.back')}</Link>
        </p>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t('meeting.cancel_confirm.title')}
          text={t('meeting.cancel_confirm.text', { title: meeting.title })}
          confirm={t('meeting.cancel_confirm.yes')}
          dismiss={t('meeting.cancel_confirm.no')}
          busy={cancelBusy}
          error={cancelError}
          onConfirm={() => void cancelMeeting()}
          onDismiss={() => setConfirming(false)}
        />
      ) : null}
    </div>
  );
}
