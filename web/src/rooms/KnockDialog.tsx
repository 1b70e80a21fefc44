import { useRef } from 'preact/hooks';
import { meetingLivePath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import dialogStyles from '../ui/Dialog.module.css';
import { problemText } from '../ui/problem_text';

// "X is knocking" for the owner of the room, one knock at a time; it goes
// away when answered here or elsewhere (knock.closed). Admitting takes the owner
// to the meeting the colleague was let into.
export function KnockDialog() {
  const i18n = useI18n();
  const { t } = i18n;
  const { knocks, router } = useServices();
  const state = useStore(knocks.state);
  const admit = useRef<HTMLButtonElement>(null);
  const knock = state.pending[0];
  if (!knock) return null;
  const name = knock.employee.name;
  return (
    <Dialog
      key={String(knock.id)}
      title={t('knock.title', { name })}
      text={<p>{t('knock.text', { name })}</p>}
      initialFocus={admit}
      testId="knock-dialog"
    >
      {state.error ? <Alert tone="error">{problemText(i18n, state.error)}</Alert> : null}
      <div class={dialogStyles.actions}>
        <Button
          buttonRef={admit}
          aria-disabled={state.busy ? 'true' : undefined}
          onClick={() =>
            void knocks.admit(knock).then((meetingId) => {
              // The owner joins the colleague in the meeting they were let into.
              // Already in it: the path is the same and nothing changes.
              if (meetingId !== null) router.navigate(meetingLivePath(meetingId));
            })
          }
        >
          {t('knock.admit')}
        </Button>
        <Button variant="danger" aria-disabled={state.busy ? 'true' : undefined} onClick={() => void knocks.decline(knock)}>
          {t('knock.decline')}
        </Button>
      </div>
    </Dialog>
  );
}
