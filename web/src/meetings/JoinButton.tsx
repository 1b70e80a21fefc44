import { useId } from 'preact/hooks';
import type { Id } from '../api/types';
import { meetingLivePath } from '../app/router';
import { useServices } from '../app/services';
import { useNow } from '../app/use_now';
import { useI18n } from '../i18n/I18nContext';
import { joinState, kJoinRecheckMs, type Joinable } from '../state/join_window';
import { Button } from '../ui/Button';
import listStyles from '../ui/ItemList.module.css';
import pageStyles from '../ui/Page.module.css';

// "Join" for one occurrence: enabled from join_opens_at until the end
// (checked again every 15 s), with a note when it is not open yet. Joining
// goes to the meeting's pre-join screen (camera, microphone), then the room.
// `describedBy` names the meeting (its title element) for screen readers.
export function JoinButton(props: { meetingId: Id; item: Joinable; describedBy?: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { router } = useServices();
  const now = useNow(kJoinRecheckMs);
  const noteId = `join-note-${useId()}`;
  const state = joinState(props.item, now);
  if (state.kind === 'cancelled') return null;
  if (state.kind === 'ended') return <span class={pageStyles.muted}>{t('meetings.ended')}</span>;
  const open = state.kind === 'open';
  const describedBy = [props.describedBy, open ? null : noteId].filter(Boolean).join(' ');
  return (
    <span class={listStyles.itemActions}>
      <Button
        disabled={!open}
        aria-describedby={describedBy || undefined}
        onClick={() => router.navigate(meetingLivePath(props.meetingId))}
      >
        {t('meetings.join')}
      </Button>
      {open ? null : (
        <span id={noteId} class={pageStyles.muted}>
          {t('meetings.join_opens', { time: i18n.time(props.item.join_opens_at ?? props.item.starts_at) })}
        </span>
      )}
    </span>
  );
}
