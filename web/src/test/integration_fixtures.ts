// Integrations as the server sends them (src/integrations/integrations_routes.cc).
import type { CatalogueEntry, Integration, Me } from '../api/types';
import { kMe } from './harness';

export const kAdministrator: Me = { ...kMe, id: 'u-admin', name: 'Димитър Николов', roles: ['employee', 'administrator'], totp_enabled: true };
export const kOfficer: Me = { ...kMe, id: 'u-officer', name: 'Елена Стоянова', roles: ['employee', 'security_officer'], totp_enabled: true };

export function integrationOf(changes: Partial<Integration> = {}): Integration {
  return {
    id: 'i1',
    name: 'Регистър на решенията',
    level: 'embed',
    owner: 'Общински съвет, Иван Петров',
    purpose: 'Решенията на общинския съвет в стаята на всеки служител.',
    launch_url: 'https://register.example.bg/',
    origins: ['https://register.example.bg'],
    redirect_uris: [],
    scopes: [],
    visible_roles: [],
    visible_departments: [],
    status: 'pending',
    requested_by: { id: 'u-admin', name: 'Димитър Николов' },
    requested_at: '2026-03-02T08:00:00Z',
    updated_at: '2026-03-02T08:00:00Z',
    client_id: null,
    decisions: [{ action: 'requested', actor: { id: 'u-admin', name: 'Димитър Николов' }, reason: '', at: '2026-03-02T08:00:00Z' }],
    ...changes,
  };
}

export function catalogueEntryOf(changes: Partial<CatalogueEntry> = {}): CatalogueEntry {
  return {
    id: 'i1',
    name: 'Регистър на решенията',
    level: 'embed',
    purpose: 'Решенията на общинския съвет.',
    launch_url: 'https://register.example.bg/',
    ...changes,
  };
}
