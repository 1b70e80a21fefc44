import { sameId, type Id, type Integration, type IntegrationDecision, type Person } from '../api/types';
import type { I18n } from '../i18n/I18nContext';

// The names of levels, states, actions and scopes; what the server may add
// later is shown as it comes.
export function levelName(i18n: I18n, level: string): string {
  return i18n.td(`integration.level.${level}`) ?? level;
}

export function statusName(i18n: I18n, status: string): string {
  return i18n.td(`integration.status.${status}`) ?? status;
}

export function actionName(i18n: I18n, action: string): string {
  return i18n.td(`integration.action.${action}`) ?? action;
}

export function scopeName(i18n: I18n, scope: string): string {
  return i18n.td(`integration.scope.${scope}`) ?? scope;
}

export function roleName(i18n: I18n, role: string): string {
  return i18n.td(`role.${role}`) ?? role;
}

// Who requested it: the server sends the person, or their id (with
// requested_by_name beside it).
export function requesterOf(integration: Integration): Person | null {
  const by = integration.requested_by;
  if (by === null || by === undefined) return null;
  if (typeof by === 'object') return { id: by.id, name: by.name };
  return { id: by, name: integration.requested_by_name ?? '' };
}

export function isRequester(integration: Integration, me: Id): boolean {
  return sameId(requesterOf(integration)?.id, me);
}

// Who took a decision.
export function actorNameOf(decision: IntegrationDecision): string {
  return decision.actor?.name ?? decision.actor_name ?? '';
}
