import { describe, expect, it } from 'vitest';
import {
  formFieldOf,
  integrationRequestOf,
  isExactOrigin,
  isHttpsUrl,
  isRedirectUri,
  kEmptyIntegrationForm,
  levelFields,
  originOf,
  validateIntegration,
  type IntegrationFormValues,
} from './integration_form';
import { decisionsFor, kReasonNeed } from './integration_decisions';

const filled = (changes: Partial<IntegrationFormValues>): IntegrationFormValues => ({
  ...kEmptyIntegrationForm,
  name: 'Регистър на решенията',
  owner: 'Общински съвет, Иван Петров',
  purpose: 'Решенията на съвета',
  launchUrl: 'https://register.example.bg/',
  ...changes,
});

const problems = (values: IntegrationFormValues) => validateIntegration(values).map((p) => `${p.field}:${p.problem}`);

describe('URLs and origins as the server takes them', () => {
  it('accepts absolute https URLs with a lower-case host only', () => {
    expect(isHttpsUrl('https://portal.example.bg/path?q=1#top')).toBe(true);
    expect(isHttpsUrl('https://127.0.0.1:8443/')).toBe(true);
    expect(isHttpsUrl('https://[::1]:8443/')).toBe(true);
    expect(isHttpsUrl('http://portal.example.bg/')).toBe(false);
    expect(isHttpsUrl('https://Portal.example.bg/')).toBe(false);
    expect(isHttpsUrl('https://user:pw@portal.example.bg/')).toBe(false);
    expect(isHttpsUrl('https://portal.example.bg/a b')).toBe(false);
    expect(isHttpsUrl('https://портал.бг/')).toBe(false);
    expect(isHttpsUrl('https://portal.example.bg/%zz')).toBe(false);
    expect(isHttpsUrl('https://portal.example.bg:0/')).toBe(false);
    expect(isHttpsUrl('https://-bad.example.bg/')).toBe(false);
    expect(isRedirectUri('https://portal.example.bg/cb')).toBe(true);
    expect(isRedirectUri('https://portal.example.bg/cb#x')).toBe(false);
  });

  it('takes an origin only as a browser writes it', () => {
    expect(isExactOrigin('https://portal.example.bg')).toBe(true);
    expect(isExactOrigin('https://127.0.0.1:8443')).toBe(true);
    expect(isExactOrigin('https://portal.example.bg/')).toBe(false);
    expect(isExactOrigin('https://portal.example.bg:443')).toBe(false);
    expect(isExactOrigin('https://portal.example.bg/app')).toBe(false);
    expect(isExactOrigin('http://portal.example.bg')).toBe(false);
    expect(isExactOrigin('https://PORTAL.example.bg')).toBe(false);
    expect(originOf('https://portal.example.bg:443/x')).toBe('https://portal.example.bg');
    expect(originOf('https://127.0.0.1:8443/x?y')).toBe('https://127.0.0.1:8443');
    expect(originOf('ftp://x')).toBeNull();
  });
});

describe('validateIntegration', () => {
  it('wants a name, an owner and a purpose, within the server’s byte limits', () => {
    expect(problems(kEmptyIntegrationForm)).toEqual(['name:required', 'owner:required', 'purpose:required', 'launch_url:required']);
    // 101 Cyrillic letters are 202 bytes.
    expect(problems(filled({ name: 'я'.repeat(101) }))).toEqual(['name:too-long']);
    expect(problems(filled({ name: 'я'.repeat(100) }))).toEqual([]);
  });

  it('link: an https address, nothing else', () => {
    expect(problems(filled({ level: 'link' }))).toEqual([]);
    expect(problems(filled({ level: 'link', launchUrl: 'http://register.example.bg/' }))).toEqual(['launch_url:not-https-url']);
    // Fields the level does not show are not checked (and are sent empty).
    expect(problems(filled({ level: 'link', origins: 'nonsense', redirectUris: 'nonsense' }))).toEqual([]);
  });

  it('embed: exact origins, among them the origin of the address', () => {
    expect(problems(filled({ level: 'embed' }))).toEqual(['origins:required']);
    expect(problems(filled({ level: 'embed', origins: 'https://register.example.bg/' }))).toEqual(['origins:not-origin']);
    expect(validateIntegration(filled({ level: 'embed', origins: 'https://other.example.bg' }))).toEqual([
      { field: 'origins', problem: 'launch-not-in-origins', value: 'https://register.example.bg' },
    ]);
    expect(problems(filled({ level: 'embed', origins: '\n https://other.example.bg \nhttps://register.example.bg\n' }))).toEqual([]);
    const many = Array.from({ length: 21 }, (_, i) => `https://h${i}.example.bg`).join('\n');
    expect(problems(filled({ level: 'embed', origins: many }))).toEqual(['origins:too-many']);
  });

  it('sso: redirect URIs without fragments; openid is always asked for', () => {
    expect(problems(filled({ level: 'sso' }))).toEqual(['redirect_uris:required']);
    expect(problems(filled({ level: 'sso', redirectUris: 'https://register.example.bg/cb#x' }))).toEqual(['redirect_uris:fragment']);
    expect(problems(filled({ level: 'sso', redirectUris: 'register.example.bg/cb' }))).toEqual(['redirect_uris:not-https-url']);
    const values = filled({ level: 'sso', redirectUris: 'https://register.example.bg/cb', scopes: ['email', 'meetings:write'] });
    expect(problems(values)).toEqual([]);
    expect(integrationRequestOf(values).scopes).toEqual(['openid', 'email']);
  });

  it('api: no address, at least one scope', () => {
    expect(problems(filled({ level: 'api', launchUrl: '' }))).toEqual(['scopes:required']);
    const values = filled({ level: 'api', scopes: ['meetings:write', 'directory:read', 'email'] });
    expect(problems(values)).toEqual([]);
    expect(integrationRequestOf(values)).toEqual({
      name: 'Регистър на решенията',
      level: 'api',
      owner: 'Общински съвет, Иван Петров',
      purpose: 'Решенията на съвета',
      launch_url: '',
      origins: [],
      redirect_uris: [],
      scopes: ['directory:read', 'meetings:write'],
      visible_roles: [],
      visible_departments: [],
    });
  });

  it('sends an embed’s lines and its visibility', () => {
    const request = integrationRequestOf(
      filled({
        level: 'embed',
        origins: ' https://register.example.bg \n\n',
        redirectUris: 'https://x.example.bg/cb',
        scopes: ['openid'],
        roles: ['clerk', 'employee'],
        departments: ['d2'],
      }),
    );
    expect(request).toMatchObject({
      level: 'embed',
      launch_url: 'https://register.example.bg/',
      origins: ['https://register.example.bg'],
      redirect_uris: [],
      scopes: [],
      visible_roles: ['employee', 'clerk'],
      visible_departments: ['d2'],
    });
  });

  it('shows per level only the fields it has', () => {
    expect(levelFields('link')).toEqual({ launchUrl: 'required', origins: 'none', redirectUris: 'none', scopes: 'none' });
    expect(levelFields('api').launchUrl).toBe('none');
  });

  it('maps the server’s field names to the form', () => {
    expect(formFieldOf('origins')).toBe('origins');
    expect(formFieldOf('origins[2]')).toBe('origins');
    expect(formFieldOf('redirect_uris.0')).toBe('redirect_uris');
    expect(formFieldOf('client_secret')).toBeNull();
  });
});

describe('decisions', () => {
  it('follow the state machine; rejecting and revoking need a reason', () => {
    expect(decisionsFor('pending')).toEqual(['approve', 'reject']);
    expect(decisionsFor('approved')).toEqual(['suspend', 'revoke']);
    expect(decisionsFor('suspended')).toEqual(['reinstate', 'revoke']);
    expect(decisionsFor('rejected')).toEqual([]);
    expect(decisionsFor('revoked')).toEqual([]);
    expect(kReasonNeed).toEqual({ approve: 'none', reject: 'required', suspend: 'optional', reinstate: 'none', revoke: 'required' });
  });
});
