import { render } from 'preact';
import { ApiClient } from './api/client';
import { EgovboxApi } from './api/egovbox_api';
import { App } from './app/App';
import { Router } from './app/router';
import { ServicesContext, type Services } from './app/services';
import { I18nProvider } from './i18n/I18nContext';
import { LanguageStore } from './i18n/language';
import { browserMediaEnvironment } from './media/media_env';
import { bindLiveModels, createLiveModels } from './state/live_models';
import { windowNotifier } from './state/notification_center';
import { realtimeUrl } from './state/realtime_client';
import { SessionModel } from './state/session_model';
import './styles/global.css';

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const language = new LanguageStore(safeLocalStorage(), document.documentElement);
const client = new ApiClient({ language: () => language.get() });
const api = new EgovboxApi(client);
const router = new Router(window);
const live = createLiveModels({
  api,
  language: () => language.get(),
  navigate: (path) => router.navigate(path),
  url: () => realtimeUrl(window.location),
  createSocket: (url) => new WebSocket(url),
  browser: windowNotifier(window),
  media: browserMediaEnvironment(window, safeLocalStorage()),
});
const services: Services = {
  client,
  api,
  session: new SessionModel(api, client),
  router,
  ...live,
};
bindLiveModels(services.session, live);
// Back online: reconnect now rather than at the end of the back-off.
window.addEventListener('online', () => live.realtime.retryNow());

render(
  <ServicesContext.Provider value={services}>
    <I18nProvider store={language}>
      <App />
    </I18nProvider>
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);

void services.session.start();
