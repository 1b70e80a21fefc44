import { useEffect, useRef } from 'preact/hooks';
import { ColleaguesView } from '../colleagues/ColleaguesView';
import { DocumentsView } from '../documents/DocumentsView';
import { DocumentView } from '../documents/DocumentView';
import { UploadDocumentView } from '../documents/UploadDocumentView';
import { MeetingFormView } from '../meetings/MeetingFormView';
import { MeetingView } from '../meetings/MeetingView';
import { MeetingLiveView } from '../media/MeetingLiveView';
import { MyMeetingsView } from '../meetings/MyMeetingsView';
import { IntegrationDetailsView } from '../integrations/IntegrationDetailsView';
import { IntegrationRequestView } from '../integrations/IntegrationRequestView';
import { IntegrationsView } from '../integrations/IntegrationsView';
import { PortalView } from '../integrations/PortalView';
import { NotificationsView } from '../notifications/NotificationsView';
import { ConsentView } from '../oidc/ConsentView';
import { HallsView } from '../rooms/HallsView';
import { RoomPageView } from '../rooms/RoomPageView';
import { RoomView } from '../room/RoomView';
import { RequiredPasswordView } from '../security/RequiredPasswordView';
import { RequiredTotpView } from '../security/RequiredTotpView';
import { SecurityView } from '../security/SecurityView';
import { SignInView } from '../signin/SignInView';
import { AppLayout } from './AppLayout';
import { NotFoundView } from './NotFoundView';
import { PlainLayout } from './PlainLayout';
import { kPaths, matchRoute } from './router';
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
  const { name: route, id } = matchRoute(path);
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
  // A portal's sign-in (OpenID Connect): outside the workspace, no navigation.
  if (route === 'oidc-consent') {
    return (
      <PlainLayout>
        <ConsentView key={path} requestId={id ?? ''} me={me} />
      </PlainLayout>
    );
  }
  // Keyed by the path: another meeting or room is a new view.
  let view;
  switch (route) {
    case 'room':
    case 'signin':
      view = <RoomView key="room" me={me} />;
      break;
    case 'meetings':
      view = <MyMeetingsView key="meetings" />;
      break;
    case 'meeting-new':
      view = <MeetingFormView key="meeting-new" me={me} meetingId={null} />;
      break;
    case 'meeting':
      view = <MeetingView key={path} me={me} meetingId={id ?? ''} />;
      break;
    case 'meeting-live':
      view = <MeetingLiveView key={path} me={me} meetingId={id ?? ''} />;
      break;
    case 'meeting-edit':
      view = <MeetingFormView key={path} me={me} meetingId={id} />;
      break;
    case 'room-page':
      view = <RoomPageView key={path} me={me} roomId={id ?? ''} />;
      break;
    case 'documents':
      view = <DocumentsView key="documents" />;
      break;
    case 'document-new':
      view = <UploadDocumentView key="document-new" />;
      break;
    case 'document':
      view = <DocumentView key={path} me={me} documentId={id ?? ''} />;
      break;
    case 'halls':
      view = <HallsView key="halls" me={me} />;
      break;
    case 'integrations':
      view = <IntegrationsView key="integrations" me={me} />;
      break;
    case 'integration-new':
      view = <IntegrationRequestView key="integration-new" me={me} />;
      break;
    case 'integration':
      view = <PortalView key={path} portalId={id ?? ''} />;
      break;
    case 'integration-details':
      view = <IntegrationDetailsView key={path} me={me} integrationId={id ?? ''} />;
      break;
    case 'notifications':
      view = <NotificationsView key="notifications" />;
      break;
    case 'colleagues':
      view = <ColleaguesView key="colleagues" />;
      break;
    case 'security':
      view = <SecurityView key="security" me={me} />;
      break;
    default:
      view = <NotFoundView key="not-found" />;
  }
  return <AppLayout me={me}>{view}</AppLayout>;
}
