import type { ApiClient } from '../api/client';

// The consent API of the OpenID Connect provider (docs/integrations.md): the
// sign-in request a portal sent through /oauth2/authorize, kept by the server
// under `id` until the person decides.
export interface ConsentRequest {
  id: string;
  client: { name: string; owner: string; purpose: string; launch_url: string };
  scopes: string[]; // everything the portal asks for
  new_scopes: string[]; // of those, what the person has not consented to yet
  consent_required: boolean; // false: consented before, the page goes straight on
}

export type ConsentDecision = 'allow' | 'deny';

function path(id: string): string {
  return `/oauth2/requests/${encodeURIComponent(id)}`;
}

export function getConsentRequest(client: ApiClient, id: string): Promise<ConsentRequest> {
  return client.request('GET', path(id));
}

// The URL the browser goes to next: the portal with a code, or with
// error=access_denied.
export async function decideConsent(client: ApiClient, id: string, decision: ConsentDecision): Promise<string> {
  const answer = await client.request<{ redirect_to: string }>('POST', path(id), { body: { decision } });
  return answer.redirect_to;
}
