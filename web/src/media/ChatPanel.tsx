import { useEffect, useRef, useState } from 'preact/hooks';
import type { Id } from '../api/types';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { MeetingDocuments } from '../meetings/MeetingDocuments';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { errorText } from '../ui/problem_text';
import { TextField } from '../ui/TextField';
import styles from './Live.module.css';
import { kChatMaxLength, type MeetingChat } from './meeting_chat';

// The side panel of the room: the meeting's chat (a role="log", so that new
// messages are read out while it is open) with its box, and the documents
// shared with the meeting (opened in a new tab: leaving the page would
// leave the meeting). Takes focus into the box when opened; Escape closes
// it (focus goes back to the Chat button).
export function ChatPanel(props: { id: string; chat: MeetingChat; meetingId: Id; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useStore(props.chat.state);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => input.current?.focus(), []);
  // The newest message in view.
  useEffect(() => {
    const box = log.current;
    if (box) box.scrollTop = box.scrollHeight;
  }, [state.messages.length]);

  const submit = async () => {
    if (busy) return;
    const trimmed = text.trim();
    setFormError(null);
    if (trimmed === '') {
      setError(t('chat.required'));
      input.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await props.chat.send(trimmed);
      setText('');
    } catch (failure) {
      setFormError(errorText(i18n, failure));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  return (
    <aside
      id={props.id}
      class={styles.panel}
      aria-label={t('chat.panel')}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          props.onClose();
        }
      }}
    >
      <div class={styles.panelHeader}>
        <h2>{t('chat.title')}</h2>
        <Button variant="quiet" onClick={props.onClose}>
          {t('chat.close')}
        </Button>
      </div>
      {/* Focusable so that the log can be scrolled with the keyboard. */}
      <div ref={log} class={styles.log} role="log" aria-label={t('chat.log')} tabIndex={0} data-testid="chat-log">
        {state.load === 'loading' ? <p>{t('common.loading')}</p> : null}
        {state.load === 'failed' && state.messages.length === 0 ? <p>{t('chat.load_failed')}</p> : null}
        {state.load === 'loaded' && state.messages.length === 0 ? <p>{t('chat.none')}</p> : null}
        {state.messages.length > 0 ? (
          <ol class={styles.messages}>
            {state.messages.map((message) => (
              <li key={String(message.id)} data-testid="chat-message">
                <p class={styles.messageMeta}>
                  <strong class={styles.messageAuthor}>{message.author_name}</strong>{' '}
                  <time dateTime={message.sent_at}>{i18n.time(message.sent_at)}</time>
                </p>
                <p class={styles.messageText}>{message.text}</p>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
      <Form class={styles.chatForm} busy={busy} onSubmit={() => void submit()}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <TextField
          label={t('chat.label')}
          value={text}
          onValue={(value) => {
            setText(value);
            if (error) setError(null);
          }}
          inputRef={input}
          error={error}
          maxLength={kChatMaxLength}
          autocomplete="off"
        />
        <SubmitButton blocked={busy}>{t('chat.send')}</SubmitButton>
      </Form>
      <MeetingDocuments meetingId={props.meetingId} reloadKey={0} openInNewTab />
    </aside>
  );
}
