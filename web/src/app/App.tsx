import { useEffect, useRef } from 'preact/hooks';
import { ColleaguesView } from '../colleagues/ColleaguesView';
import { RoomView } from '../room/RoomView';
import { RequiredPasswordView } from '../security/RequiredPasswordView';
import { RequiredTotpView } from '../security/RequiredTotpView';
import { SecurityView } from '../security/SecurityView';
import { SignInView } from '../signin/SignInView';
import { AppLayout } from './AppLayout';
import { NotFoundView } from './NotFoundView';
import { kPaths, routeOf } from './router';
import { useServices } from './services';
import { LoadingView, UnavailableView } from './StatusViews';
import { useStore } from './use_store';

// Chooses the one view to show from the session phase and the path. While
// the session is not ready the path is ignored (the forced views) or sent
// to /signin; the path asked for is remembered and restored after sign-in.
export function App() {
  const { session, router } = useServices();
  const state = useStore(session.state);
  const path = useStore(router.path);
  const route = routeOf(path);
  const returnTo = useRef<string | null>(null);
  const previousPhase = useRef(state.phase);

  // A phase change replaces the whole screen: except on page load, the new
  // view's heading takes focus (PageHeading reads router.navigated). Done
  // during render because children's effects run before ours.
  if (previousPhase.current !== state.phase) {
    if (previousPhase.current !== 'loading') router.navigated = true;
    previousPhase.current = state.phase;
  }

  useEffect(() => {
    if (state.phase === 'signed-out' && route !== 'signin') {
      // After an explicit sign-out start afresh; after expiry come back here.
      returnTo.current = state.notice === 'signed-out' ? null : path;
      router.navigate(kPaths.signin, { replace: true });
    } else if (state.phase === 'ready' && route === 'signin') {
      const target = returnTo.current ?? kPaths.room;
      returnTo.current = null;
      router.navigate(target, { replace: true });
    }
  }, [state.phase, state.notice, route, path, router]);

  switch (state.phase) {
    case 'loading':
      return <LoadingView />;
    case 'unavailable':
      return <UnavailableView onRetry={() => void session.start()} />;
    case 'signed-out':
      return <SignInView notice={state.notice} />;
    case 'password-change':
      return <RequiredPasswordView />;
    case 'totp-enrollment':
      return <RequiredTotpView />;
    case 'ready':
      break;
  }
  const me = state.me;
  if (!me) return <LoadingView />;
  return (
    <AppLayout userName={me.name}>
      {route === 'room' || route === 'signin' ? (
        <RoomView key="room" me={me} />
      ) : route === 'colleagues' ? (
        <ColleaguesView key="colleagues" />
      ) : route === 'security' ? (
        <SecurityView key="security" me={me} />
      ) : (
        <NotFoundView key="not-found" />
      )}
    </AppLayout>
  );
}
