// The request form of an integration (administrators): what each level asks
// for, the checks the server makes too (src/integrations/integration_request.cc
// and web_origin.cc, docs/integrations.md), and the request body. Plain
// TypeScript, no JSX.
import type { IntegrationLevel, IntegrationRequest } from '../api/types';
import { utf8Length } from '../state/utf8_length';

export interface IntegrationFormValues {
  name: string;
  level: IntegrationLevel;
  owner: string;
  purpose: string;
  launchUrl: string;
  // One per line, as typed.
  origins: string;
  redirectUris: string;
  scopes: string[];
  roles: string[];
  departments: string[];
}

export const kEmptyIntegrationForm: IntegrationFormValues = {
  name: '',
  level: 'link',
  owner: '',
  purpose: '',
  launchUrl: '',
  origins: '',
  redirectUris: '',
  scopes: [],
  roles: [],
  departments: [],
};

// The scopes a level may ask for; sso always has "openid".
export const kScopesByLevel: Record<IntegrationLevel, readonly string[]> = {
  link: [],
  embed: [],
  sso: ['openid', 'profile', 'email', 'department', 'roles'],
  api: ['directory:read', 'meetings:read', 'meetings:write'],
};

export const kAlwaysScopes: Record<IntegrationLevel, readonly string[]> = {
  link: [],
  embed: [],
  sso: ['openid'],
  api: [],
};

// The roles an integration can be shown to (identity::IsKnownRole).
export const kVisibleRoles: readonly string[] = ['employee', 'councillor', 'clerk', 'administrator', 'security_officer'];

export type Need = 'required' | 'optional' | 'none';

// Which of the level-dependent fields the form shows, and whether they must
// be filled. The server takes origins at any level, but only an embed needs
// them (its frame-src) and an sso portal may list where it runs; a field not
// shown is sent empty.
export interface LevelFields {
  launchUrl: Need;
  origins: Need;
  redirectUris: Need;
  scopes: Need;
}

export function levelFields(level: IntegrationLevel): LevelFields {
  switch (level) {
    case 'link':
      return { launchUrl: 'required', origins: 'none', redirectUris: 'none', scopes: 'none' };
    case 'embed':
      return { launchUrl: 'required', origins: 'required', redirectUris: 'none', scopes: 'none' };
    case 'sso':
      return { launchUrl: 'required', origins: 'optional', redirectUris: 'required', scopes: 'required' };
    case 'api':
      return { launchUrl: 'none', origins: 'none', redirectUris: 'none', scopes: 'required' };
  }
}

// The fields of the request, by their names in the API.
export type IntegrationField =
  | 'name'
  | 'level'
  | 'owner'
  | 'purpose'
  | 'launch_url'
  | 'origins'
  | 'redirect_uris'
  | 'scopes'
  | 'visible_roles'
  | 'visible_departments';

// In the order of the form.
export const kIntegrationFields: readonly IntegrationField[] = [
  'name',
  'level',
  'owner',
  'purpose',
  'launch_url',
  'origins',
  'redirect_uris',
  'scopes',
  'visible_roles',
  'visible_departments',
];

export type FormProblem = 'required' | 'too-long' | 'not-https-url' | 'not-origin' | 'launch-not-in-origins' | 'too-many' | 'fragment';

export interface FieldProblem {
  field: IntegrationField;
  problem: FormProblem;
  // The line in question (URLs, origins).
  value?: string;
  // The limit broken (bytes, lines).
  limit?: number;
}

// The server's limits (integration_request.h), in bytes of UTF-8.
export const kMaxNameBytes = 200;
export const kMaxOwnerBytes = 300;
export const kMaxPurposeBytes = 4000;
export const kMaxUrlBytes = 2000;
export const kMaxListItems = 20;

// The non-empty lines of a textarea, trimmed.
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

const kScheme = 'https://';
// RFC 3986 §2: unreserved, reserved and "%".
const kUrlCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const kPercent = /%(?![0-9A-Fa-f]{2})/;

// A DNS name in lower case (letters, digits, inner hyphens; labels of 1-63),
// an IPv4 address (the same shape), or an IPv6 literal in brackets.
function isHost(host: string): boolean {
  if (host === '' || host.length > 253) return false;
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]$/.test(host);
  return host.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

// 1-65535, no leading zero.
function isPort(port: string): boolean {
  return /^[1-9]\d{0,4}$/.test(port) && Number(port) <= 65535;
}

// "host[:port]" split; null when either part is not valid.
function authorityOf(text: string): { host: string; port: string } | null {
  let colon = -1;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    if (close + 1 < text.length) {
      if (text[close + 1] !== ':') return null;
      colon = close + 1;
    }
  } else colon = text.indexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  const port = colon < 0 ? '' : text.slice(colon + 1);
  if (colon >= 0 && !isPort(port)) return null;
  return isHost(host) ? { host, port } : null;
}

function urlAuthority(url: string): { host: string; port: string } | null {
  if (utf8Length(url) > kMaxUrlBytes || !url.startsWith(kScheme)) return null;
  if (!kUrlCharacters.test(url) || kPercent.test(url)) return null;
  const rest = url.slice(kScheme.length);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  if (authority.includes('@')) return null; // no user information
  return authorityOf(authority);
}

// An absolute https URL as the server takes it: lower-case host, no user
// information, only the characters of RFC 3986.
export function isHttpsUrl(url: string): boolean {
  return urlAuthority(url) !== null;
}

// The same without a fragment (RFC 6749 §3.1.2).
export function isRedirectUri(url: string): boolean {
  return isHttpsUrl(url) && !url.includes('#');
}

// An origin as a browser serialises it (RFC 6454 §6.2): "https://host[:port]",
// no path, no slash at the end, no ":443".
export function isExactOrigin(origin: string): boolean {
  if (!origin.startsWith(kScheme) || utf8Length(origin) > kMaxUrlBytes) return false;
  const authority = origin.slice(kScheme.length);
  if (/[/?#@]/.test(authority)) return false;
  const parts = authorityOf(authority);
  return parts !== null && parts.port !== '443';
}

// The origin of an https URL, ":443" dropped; null for what isHttpsUrl refuses.
export function originOf(url: string): string | null {
  const parts = urlAuthority(url);
  if (!parts) return null;
  return `${kScheme}${parts.host}${parts.port !== '' && parts.port !== '443' ? `:${parts.port}` : ''}`;
}

function checkText(found: FieldProblem[], field: IntegrationField, value: string, limit: number): void {
  if (value === '') found.push({ field, problem: 'required' });
  else if (utf8Length(value) > limit) found.push({ field, problem: 'too-long', limit });
}

function checkList(found: FieldProblem[], field: IntegrationField, lines: string[], need: Need, problemOf: (line: string) => FormProblem | null): void {
  if (need === 'none') return;
  if (lines.length === 0) {
    if (need === 'required') found.push({ field, problem: 'required' });
    return;
  }
  if (new Set(lines).size > kMaxListItems) {
    found.push({ field, problem: 'too-many', limit: kMaxListItems });
    return;
  }
  for (const line of lines) {
    const problem = utf8Length(line) > kMaxUrlBytes ? 'too-long' : problemOf(line);
    if (problem) {
      found.push({ field, problem, value: line, limit: kMaxUrlBytes });
      return;
    }
  }
}

// Every problem of the form, at most one per field, in the order of the form.
// A field the level does not show is sent empty, so it cannot be wrong.
export function validateIntegration(values: IntegrationFormValues): FieldProblem[] {
  const found: FieldProblem[] = [];
  const fields = levelFields(values.level);
  checkText(found, 'name', values.name.trim(), kMaxNameBytes);
  checkText(found, 'owner', values.owner.trim(), kMaxOwnerBytes);
  checkText(found, 'purpose', values.purpose.trim(), kMaxPurposeBytes);
  const launchUrl = values.launchUrl.trim();
  if (fields.launchUrl !== 'none') {
    if (launchUrl === '') {
      if (fields.launchUrl === 'required') found.push({ field: 'launch_url', problem: 'required' });
    } else if (utf8Length(launchUrl) > kMaxUrlBytes) found.push({ field: 'launch_url', problem: 'too-long', limit: kMaxUrlBytes });
    else if (!isHttpsUrl(launchUrl)) found.push({ field: 'launch_url', problem: 'not-https-url', value: launchUrl });
  }
  const origins = linesOf(values.origins);
  const before = found.length;
  checkList(found, 'origins', origins, fields.origins, (line) => (isExactOrigin(line) ? null : 'not-origin'));
  // The frame shows the launch address: frame-src must allow its origin.
  const launchOrigin = originOf(launchUrl);
  if (values.level === 'embed' && found.length === before && origins.length > 0 && launchOrigin && !origins.includes(launchOrigin)) {
    found.push({ field: 'origins', problem: 'launch-not-in-origins', value: launchOrigin });
  }
  checkList(found, 'redirect_uris', linesOf(values.redirectUris), fields.redirectUris, (line) =>
    !isHttpsUrl(line) ? 'not-https-url' : isRedirectUri(line) ? null : 'fragment',
  );
  if (fields.scopes === 'required' && scopesOf(values).length === 0) found.push({ field: 'scopes', problem: 'required' });
  return found;
}

// The scopes sent: the chosen ones the level allows, with those it always has.
export function scopesOf(values: IntegrationFormValues): string[] {
  const chosen = new Set([...kAlwaysScopes[values.level], ...values.scopes]);
  return kScopesByLevel[values.level].filter((scope) => chosen.has(scope));
}

export function integrationRequestOf(values: IntegrationFormValues): IntegrationRequest {
  const fields = levelFields(values.level);
  return {
    name: values.name.trim(),
    level: values.level,
    owner: values.owner.trim(),
    purpose: values.purpose.trim(),
    launch_url: fields.launchUrl === 'none' ? '' : values.launchUrl.trim(),
    origins: fields.origins === 'none' ? [] : linesOf(values.origins),
    redirect_uris: fields.redirectUris === 'none' ? [] : linesOf(values.redirectUris),
    scopes: fields.scopes === 'none' ? [] : scopesOf(values),
    visible_roles: kVisibleRoles.filter((role) => values.roles.includes(role)),
    visible_departments: [...values.departments],
  };
}

// The form's field for a field the server named ("origins", "origins[1]",
// "redirect_uris.0"); null for one the form does not have.
export function formFieldOf(name: string): IntegrationField | null {
  const base = name.replace(/[[.].*$/, '');
  return (kIntegrationFields as readonly string[]).includes(base) ? (base as IntegrationField) : null;
}
