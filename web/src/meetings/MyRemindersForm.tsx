import { useState } from 'preact/hooks';
import type { Meeting } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { kReminderChoices } from '../state/meeting_form';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';

// The person's own reminders for this meeting (none ticked: no reminders),
// or back to the meeting's defaults.
export function MyRemindersForm(props: { meeting: Meeting; onSaved: (meeting: Meeting) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [chosen, setChosen] = useState<number[]>(props.meeting.my_reminder_offsets ?? []);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const offered = [
    ...new Set([...kReminderChoices, ...props.meeting.reminder_offsets, ...(props.meeting.my_reminder_offsets ?? [])]),
  ].sort((a, b) => b - a);

  const save = async (offsets: number[] | null) => {
    if (busy) return;
    setBusy(true);
    try {
      const meeting = await api.setMyReminders(props.meeting.id, offsets);
      setChosen(meeting.my_reminder_offsets ?? offsets ?? meeting.reminder_offsets);
      props.onSaved(meeting);
      setMessage({ tone: 'success', text: t('meeting.reminders.saved') });
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form class={pageStyles.form} busy={busy} onSubmit={() => void save([...chosen].sort((a, b) => b - a))}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <ChoiceGroup
        id="meeting-my-reminders"
        legend={t('meeting.reminders.legend')}
        type="checkbox"
        choices={offered.map((seconds) => ({ value: String(seconds), label: t('time.before', { time: i18n.seconds(seconds) }) }))}
        selected={chosen.map(String)}
        onChange={(values) => setChosen(values.map(Number))}
      />
      <div class={pageStyles.actions}>
        <SubmitButton blocked={busy}>{t('meeting.reminders.save')}</SubmitButton>
        <Button variant="secondary" aria-disabled={busy ? 'true' : undefined} onClick={() => void save(null)}>
          {t('meeting.reminders.default')}
        </Button>
      </div>
    </Form>
  );
}
