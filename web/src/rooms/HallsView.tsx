import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, invalidFieldName } from '../api/problem';
import type { HallRequest, Me, Room } from '../api/types';
import { Link } from '../app/Link';
import { canManageHalls } from '../app/roles';
import { roomPath } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { utf8Length } from '../state/utf8_length';
import { Alert } from '../ui/Alert';
import { Button, SubmitButton } from '../ui/Button';
import { Card } from '../ui/Card';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import styles from './Rooms.module.css';

type Load = { kind: 'loading' } | { kind: 'loaded'; halls: Room[] } | { kind: 'failed'; message: string };

// Managing halls (administrators and the clerk's office): the list, a form
// for a new one, editing in place, archiving after a confirmation.
export function HallsView(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [archiving, setArchiving] = useState<Room | null>(null);
  const [archiveError, setArchiveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listTop = useRef<HTMLDivElement>(null);
  const allowed = canManageHalls(props.me.roles);

  const reload = async () => {
    try {
      const rooms = await api.listRooms();
      setLoad({ kind: 'loaded', halls: rooms.halls });
    } catch (error) {
      setLoad({ kind: 'failed', message: errorText(i18n, error) });
    }
  };
  useEffect(() => {
    if (allowed) void reload();
  }, [allowed]);

  if (!allowed) {
    return (
      <>
        <PageHeading>{t('halls.title')}</PageHeading>
        <Alert tone="info">{t('halls.forbidden')}</Alert>
      </>
    );
  }

  const done = (text: string) => {
    setMessage({ tone: 'success', text });
    void reload();
    listTop.current?.focus();
  };

  const archive = async (hall: Room) => {
    setBusy(true);
    setArchiveError(null);
    try {
      await api.archiveHall(hall.id);
      setArchiving(null);
      done(t('halls.archived', { name: hall.name }));
    } catch (error) {
      setArchiveError(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading>{t('halls.title')}</PageHeading>
      <p class={styles.lead}>{t('halls.lead')}</p>
      <div class={styles.sections}>
        <Card title={t('halls.list')}>
          <div ref={listTop} tabIndex={-1}>
            {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
            {load.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
            {load.kind === 'failed' ? <Alert tone="error">{load.message}</Alert> : null}
            {load.kind === 'loaded' && load.halls.length === 0 ? <p>{t('halls.empty')}</p> : null}
            {load.kind === 'loaded' && load.halls.length > 0 ? (
              <ul class={styles.halls}>
                {load.halls.map((hall) => (
                  <li key={String(hall.id)} class={styles.hall} data-testid="hall">
                    <div class={styles.hallHead}>
                      <h3 class={styles.hallName}>
                        <Link href={roomPath(hall.id)}>{hall.name}</Link>
                      </h3>
                      <span>
                        {hall.capacity ? `${t('halls.seats', { count: hall.capacity })} · ` : ''}
                        {hall.lobby ? t('halls.lobby_on') : t('halls.lobby_off')}
                      </span>
                    </div>
                    {hall.description ? <p>{hall.description}</p> : null}
                    {editing === String(hall.id) ? (
                      <HallForm
                        hall={hall}
                        onSaved={(saved) => {
                          setEditing(null);
                          done(t('halls.saved', { name: saved.name }));
                        }}
                        onCancel={() => setEditing(null)}
                      />
                    ) : (
                      <div class={pageStyles.actions}>
                        <Button
                          variant="secondary"
                          aria-label={t('halls.edit_named', { name: hall.name })}
                          onClick={() => {
                            setMessage(null);
                            setEditing(String(hall.id));
                          }}
                        >
                          {t('halls.edit')}
                        </Button>
                        <Button
                          variant="danger"
                          aria-label={t('halls.archive_named', { name: hall.name })}
                          onClick={() => {
                            setArchiveError(null);
                            setArchiving(hall);
                          }}
                        >
                          {t('halls.archive')}
                        </Button>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        </Card>
        <Card title={t('halls.new')}>
          <HallForm onSaved={(saved) => done(t('halls.created', { name: saved.name }))} />
        </Card>
      </div>
      {archiving ? (
        <ConfirmDialog
          title={t('halls.archive_confirm.title', { name: archiving.name })}
          text={t('halls.archive_confirm.text')}
          confirm={t('halls.archive_confirm.yes')}
          dismiss={t('meeting.cancel_confirm.no')}
          busy={busy}
          error={archiveError}
          onConfirm={() => void archive(archiving)}
          onDismiss={() => setArchiving(null)}
        />
      ) : null}
    </>
  );
}

// The server's limits (docs/api/openapi.yaml, HallRequest).
const kMaxHallNameBytes = 120;
const kMaxSeats = 10_000;

// A new hall (no `hall`) or changes to one.
function HallForm(props: { hall?: Room; onSaved: (hall: Room) => void; onCancel?: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const prefix = props.hall ? `hall-${String(props.hall.id)}` : 'hall-new';
  const [name, setName] = useState(props.hall?.name ?? '');
  const [description, setDescription] = useState(props.hall?.description ?? '');
  const [capacity, setCapacity] = useState(props.hall?.capacity ? String(props.hall.capacity) : '');
  const [lobby, setLobby] = useState(props.hall?.lobby ?? false);
  const [errors, setErrors] = useState<{ name?: string; capacity?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    const found: typeof errors = {};
    if (name.trim() === '') found.name = t('halls.error.name_required');
    else if (utf8Length(name.trim()) > kMaxHallNameBytes) found.name = t('halls.error.name_too_long');
    const seats = capacity.trim();
    if (seats !== '' && (!/^[1-9]\d{0,4}$/.test(seats) || Number(seats) > kMaxSeats)) {
      found.capacity = t('halls.error.capacity');
    }
    setErrors(found);
    if (found.name || found.capacity) {
      document.getElementById(`${prefix}-${found.name ? 'name' : 'capacity'}`)?.focus();
      return;
    }
    const body: HallRequest = {
      name: name.trim(),
      description: description.trim(),
      capacity: capacity.trim() === '' ? null : Number(capacity),
      lobby,
    };
    setBusy(true);
    try {
      const saved = props.hall ? await api.updateHall(props.hall.id, body) : await api.createHall(body);
      if (!props.hall) {
        setName('');
        setDescription('');
        setCapacity('');
        setLobby(false);
      }
      props.onSaved(saved);
    } catch (error) {
      const field = error instanceof ApiError ? invalidFieldName(error) : '';
      if (field === 'name' || field === 'capacity') {
        setErrors({ [field]: errorText(i18n, error) });
        document.getElementById(`${prefix}-${field}`)?.focus();
      } else setErrors({ form: errorText(i18n, error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form class={styles.form} busy={busy} onSubmit={() => void submit()}>
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <TextField id={`${prefix}-name`} label={t('halls.name.label')} value={name} onValue={setName} error={errors.name} maxLength={120} required />
      <TextAreaField id={`${prefix}-description`} label={t('halls.description.label')} value={description} onValue={setDescription} rows={2} />
      <TextField
        id={`${prefix}-capacity`}
        type="number"
        inputMode="numeric"
        min={1}
        label={t('halls.capacity.label')}
        value={capacity}
        onValue={setCapacity}
        error={errors.capacity}
      />
      <label class={styles.checkbox}>
        <input type="checkbox" checked={lobby} onChange={(event) => setLobby(event.currentTarget.checked)} />
        <span>{t('halls.lobby.label')}</span>
      </label>
      <div class={pageStyles.actions}>
        <SubmitButton blocked={busy}>{props.hall ? t('halls.save') : t('halls.create')}</SubmitButton>
        {props.onCancel ? (
          <Button variant="secondary" onClick={props.onCancel}>
            {t('common.cancel')}
          </Button>
        ) : null}
      </div>
    </Form>
  );
}
