import { useRef } from 'preact/hooks';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n, type I18n } from '../i18n/I18nContext';
import type { CallState } from '../state/call_model';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import dialogStyles from '../ui/Dialog.module.css';
import { problemText } from '../ui/problem_text';

// The call this tab is making (with "Hang up") or receiving (with "Accept"
// and "Decline"), as a modal dialog over whatever is on screen.
export function CallDialogs() {
  const i18n = useI18n();
  const { calls } = useServices();
  const state = useStore(calls.state);
  if (state.kind === 'outgoing') return <OutgoingCall key={`out-${state.callee.id}`} i18n={i18n} state={state} />;
  if (state.kind === 'incoming') return <IncomingCall key={`in-${state.callId}`} i18n={i18n} state={state} />;
  return null;
}

function OutgoingCall(props: { i18n: I18n; state: Extract<CallState, { kind: 'outgoing' }> }) {
  const { t } = props.i18n;
  const { calls } = useServices();
  const { state } = props;
  const name = state.callee.name;
  const ringing = state.phase === 'starting' || state.phase === 'ringing';
  const message =
    state.phase === 'busy'
      ? t('calls.busy', { name })
      : state.phase === 'declined'
        ? t('calls.declined', { name })
        : state.phase === 'missed'
          ? t('calls.missed', { name })
          : state.phase === 'failed' && state.error
            ? problemText(props.i18n, state.error)
            : null;
  return (
    <Dialog
      title={t('calls.outgoing.title', { name })}
      text={<p role="status">{ringing ? t('calls.outgoing.ringing') : message}</p>}
      onEscape={() => void calls.hangUp()}
      testId="outgoing-call"
    >
      <div class={dialogStyles.actions}>
        {ringing ? (
          <Button variant="danger" onClick={() => void calls.hangUp()}>
            {t('calls.hang_up')}
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => void calls.hangUp()}>
            {t('common.close')}
          </Button>
        )}
      </div>
    </Dialog>
  );
}

function IncomingCall(props: { i18n: I18n; state: Extract<CallState, { kind: 'incoming' }> }) {
  const { t } = props.i18n;
  const { calls } = useServices();
  const { state } = props;
  const accept = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={t('calls.incoming.title')}
      text={<p>{t('calls.incoming.text', { name: state.caller.name })}</p>}
      initialFocus={accept}
      testId="incoming-call"
    >
      {state.phase === 'accepting' ? <p role="status">{t('calls.connecting')}</p> : null}
      {state.phase === 'failed' && state.error ? <Alert tone="error">{problemText(props.i18n, state.error)}</Alert> : null}
      <div class={dialogStyles.actions}>
        {state.phase === 'failed' ? (
          <Button variant="secondary" onClick={() => calls.dismiss()}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button
              buttonRef={accept}
              aria-disabled={state.phase === 'accepting' ? 'true' : undefined}
              onClick={() => void calls.accept()}
            >
              {t('calls.accept')}
            </Button>
            <Button variant="danger" onClick={() => void calls.decline()}>
              {t('calls.decline')}
            </Button>
          </>
        )}
      </div>
    </Dialog>
  );
}
