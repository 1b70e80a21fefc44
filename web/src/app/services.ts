import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { EgovboxApi } from '../api/egovbox_api';
import type { LiveModels } from '../state/live_models';
import type { SessionModel } from '../state/session_model';
import type { Router } from './router';

// The long-lived objects of one page load, made in main.tsx (or a test):
// HTTP, the session, the router, and the models fed by the WebSocket.
export interface Services extends LiveModels {
  client: ApiClient;
  api: EgovboxApi;
  session: SessionModel;
  router: Router;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() outside <ServicesContext.Provider>');
  return services;
}
