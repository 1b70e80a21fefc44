import { useState } from 'preact/hooks';
import type { Meeting, RsvpAnswer } from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';

const kAnswers: RsvpAnswer[] = ['accepted', 'declined', 'tentative'];

// "Will you attend?": accept, decline or tentative, with a comment every
// invitee can read.
export function RsvpForm(props: { meeting: Meeting; onSaved: (meeting: Meeting) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const initial = props.meeting.my_response && props.meeting.my_response !== 'needs-action' ? props.meeting.my_response : null;
  const [answer, setAnswer] = useState<RsvpAnswer | null>(initial);
  const [comment, setComment] = useState(props.meeting.my_comment ?? '');
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    if (!answer) {
      setChoiceError(t('meeting.rsvp.choose'));
      document.getElementById('meeting-rsvp-first')?.focus();
      return;
    }
    setChoiceError(null);
    setBusy(true);
    try {
      props.onSaved(await api.rsvp(props.meeting.id, answer, comment.trim()));
      setMessage({ tone: 'success', text: t('meeting.rsvp.saved') });
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(i18n, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <ChoiceGroup
        id="meeting-rsvp"
        name="meeting-rsvp"
        legend={t('meeting.rsvp.legend')}
        type="radio"
        inline
        choices={kAnswers.map((value) => ({ value, label: t(`meeting.rsvp.${value}`) }))}
        selected={answer ? [answer] : []}
        onChange={(chosen) => setAnswer((chosen[0] as RsvpAnswer | undefined) ?? null)}
        error={choiceError}
      />
      <TextAreaField
        id="meeting-rsvp-comment"
        label={t('meeting.rsvp.comment')}
        value={comment}
        onValue={setComment}
        rows={2}
        maxLength={500}
      />
      <SubmitButton blocked={busy}>{t('meeting.rsvp.submit')}</SubmitButton>
    </Form>
  );
}
