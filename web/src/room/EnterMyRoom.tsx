import { useEffect, useState } from 'preact/hooks';
import type { Id } from '../api/types';
import { meetingLivePath } from '../app/router';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { errorText } from '../ui/problem_text';
import styles from './RoomView.module.css';

// "Enter my room": opens (or finds) the meeting in the person's own room
// and goes to its pre-join screen.
export function EnterMyRoom() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, media, router } = useServices();
  const [roomId, setRoomId] = useState<Id | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.listRooms().then(
      (rooms) => setRoomId(rooms.personal.id),
      () => undefined, // Asked again on the press.
    );
  }, [api]);

  const enter = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const id = roomId ?? (await api.listRooms()).personal.id;
      const meetingId = await media.joinRoom(id);
      router.navigate(meetingLivePath(meetingId));
    } catch (caught) {
      setError(errorText(i18n, caught));
      setBusy(false);
    }
  };

  return (
    <div class={styles.enter}>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button aria-disabled={busy ? 'true' : undefined} aria-describedby="enter-my-room-help" onClick={() => void enter()}>
        {t('room.enter')}
      </Button>
      <p id="enter-my-room-help" class={styles.help}>
        {t('room.enter_help')}
      </p>
    </div>
  );
}
