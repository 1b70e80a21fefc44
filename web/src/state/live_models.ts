import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError } from '../api/problem';
import type { Id } from '../api/types';
import type { Lang } from '../i18n/i18n';
import { noMediaEnvironment, type MediaEnvironment } from '../media/media_env';
import { Announcer } from './announcer';
import { CallModel } from './call_model';
import { KnockInbox } from './knock_inbox';
import { MediaSession } from './media_session';
import { NotificationCenter, type BrowserNotifier } from './notification_center';
import { PresenceModel } from './presence_model';
import { RealtimeClient, type SocketFactory } from './realtime_client';
import type { SessionModel } from './session_model';

// The models fed by the WebSocket, made once per page load.
export interface LiveModels {
  realtime: RealtimeClient;
  announcer: Announcer;
  notifications: NotificationCenter;
  presence: PresenceModel;
  media: MediaSession;
  calls: CallModel;
  knocks: KnockInbox;
}

export function createLiveModels(deps: {
  api: EgovboxApi;
  language: () => Lang;
  navigate: (path: string) => void;
  url: () => string;
  createSocket: SocketFactory;
  browser: BrowserNotifier;
  // Camera, microphone, WebRTC; none without it.
  media?: MediaEnvironment;
}): LiveModels {
  const realtime = new RealtimeClient({
    url: deps.url,
    createSocket: deps.createSocket,
    // A lost socket may mean a lost session: ask over REST first. A 401 or a
    // forced step reaches the SessionModel, which stops the socket for good.
    canReconnect: async () => {
      try {
        await deps.api.getMe();
        return true;
      } catch (error) {
        return !(error instanceof ApiError && (error.status === 401 || error.status === 403));
      }
    },
  });
  const announcer = new Announcer();
  const media = new MediaSession(deps.api, realtime, deps.media ?? noMediaEnvironment(), (render) => announcer.say(render));
  // Both sides of an accepted call go straight into its room (no pre-join
  // screen: the remembered camera and microphone are used).
  const joinCall = (meetingId: Id) => {
    void media.joinMeeting(meetingId);
    deps.navigate(`/meetings/${encodeURIComponent(String(meetingId))}/live`);
  };
  return {
    realtime,
    announcer,
    notifications: new NotificationCenter(deps.api, realtime, {
      language: deps.language,
      navigate: deps.navigate,
      browser: deps.browser,
      announcer,
    }),
    presence: new PresenceModel(deps.api, realtime),
    media,
    calls: new CallModel(deps.api, realtime, joinCall, announcer),
    knocks: new KnockInbox(deps.api, realtime, announcer),
  };
}

// The WebSocket is open only in the workspace (signed in, no forced step
// pending); leaving it closes the socket and forgets everything live.
export function bindLiveModels(session: SessionModel, live: LiveModels): () => void {
  let active = false;
  const update = () => {
    const { phase, me } = session.state.get();
    if (phase === 'ready' && me) {
      live.presence.setMe(me.id);
      if (active) return;
      active = true;
      // The notifications are read on the socket's `hello`.
      live.realtime.start();
    } else if (active || phase !== 'loading') {
      active = false;
      live.realtime.stop();
      live.notifications.reset();
      live.presence.reset();
      live.media.reset();
      live.calls.reset();
      live.knocks.reset();
      live.announcer.reset();
    }
  };
  update();
  return session.state.subscribe(update);
}
