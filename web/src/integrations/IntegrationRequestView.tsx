import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, invalidFieldName } from '../api/problem';
import { kIntegrationLevels, type Department, type Integration, type IntegrationLevel, type Me } from '../api/types';
import { Link } from '../app/Link';
import { canRequestIntegrations } from '../app/roles';
import { integrationDetailsPath, kPaths } from '../app/router';
import { useServices } from '../app/services';
import { useI18n, type I18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { classes } from '../ui/classes';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { PageHeading } from '../ui/PageHeading';
import { errorText } from '../ui/problem_text';
import { TextAreaField } from '../ui/TextAreaField';
import { TextField } from '../ui/TextField';
import {
  formFieldOf,
  integrationRequestOf,
  kAlwaysScopes,
  kEmptyIntegrationForm,
  kIntegrationFields,
  kScopesByLevel,
  kVisibleRoles,
  levelFields,
  validateIntegration,
  type FieldProblem,
  type IntegrationField,
  type IntegrationFormValues,
} from './integration_form';
import { levelName, roleName, scopeName } from './integration_labels';
import styles from './Integrations.module.css';

// The element that takes focus for a field in error: the input, or the first
// choice of a group.
const kFocusTarget: Record<IntegrationField, string> = {
  name: 'integration-name',
  level: 'integration-level-first',
  owner: 'integration-owner',
  purpose: 'integration-purpose',
  launch_url: 'integration-launch-url',
  origins: 'integration-origins',
  redirect_uris: 'integration-redirect-uris',
  scopes: 'integration-scopes-first',
  visible_roles: 'integration-roles-first',
  visible_departments: 'integration-departments-first',
};

type Errors = Partial<Record<IntegrationField | 'form', string>>;
type Departments = { kind: 'loading' } | { kind: 'loaded'; items: Department[] } | { kind: 'failed'; message: string };

export function problemMessage(i18n: I18n, problem: FieldProblem): string {
  const limit = problem.limit ?? 0;
  // A Cyrillic letter is two bytes of UTF-8.
  const params = { value: problem.value ?? '', limit, letters: Math.floor(limit / 2) };
  if (problem.problem === 'required') return i18n.td(`integration_form.error.required.${problem.field}`, params) ?? '';
  return i18n.td(`integration_form.error.${problem.problem.replace(/-/g, '_')}`, params) ?? problem.problem;
}

// An administrator's request for a new integration: the fields every level
// has, those of the chosen level, the scopes it may ask for, who sees it.
// Checked here as the server checks it; the server's problems are shown at
// their field. Nothing takes effect before a security officer approves it.
export function IntegrationRequestView(props: { me: Me }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [values, setValues] = useState<IntegrationFormValues>(kEmptyIntegrationForm);
  const [errors, setErrors] = useState<Errors>({});
  const [focusField, setFocusField] = useState<{ field: IntegrationField | 'form' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Integration | null>(null);
  const [departments, setDepartments] = useState<Departments>({ kind: 'loading' });
  const sentBox = useRef<HTMLDivElement>(null);
  const formTop = useRef<HTMLDivElement>(null);
  const allowed = canRequestIntegrations(props.me.roles);

  useEffect(() => {
    if (!allowed) return;
    api.listDepartments().then(
      (list) => setDepartments({ kind: 'loaded', items: list.items }),
      (error: unknown) => setDepartments({ kind: 'failed', message: errorText(i18n, error) }),
    );
  }, [api, allowed]);

  useEffect(() => {
    if (!focusField) return;
    if (focusField.field === 'form') formTop.current?.focus();
    else document.getElementById(kFocusTarget[focusField.field])?.focus();
  }, [focusField]);
  useEffect(() => {
    if (sent) sentBox.current?.focus();
  }, [sent]);

  if (!allowed) {
    return (
      <>
        <PageHeading>{t('integration_form.title')}</PageHeading>
        <Alert tone="info">{t('integration_form.forbidden')}</Alert>
        <p>
          <Link href={kPaths.integrations}>{t('integration.back')}</Link>
        </p>
      </>
    );
  }

  const set = <K extends keyof IntegrationFormValues>(key: K, value: IntegrationFormValues[K]) =>
    setValues((old) => ({ ...old, [key]: value }));
  const fields = levelFields(values.level);
  const scopes = kScopesByLevel[values.level];
  const always = kAlwaysScopes[values.level];

  const submit = async () => {
    if (busy) return;
    setSent(null);
    const problems = validateIntegration(values);
    if (problems.length > 0) {
      const shown: Errors = {};
      for (const problem of problems) shown[problem.field] ??= problemMessage(i18n, problem);
      setErrors(shown);
      setFocusField({ field: problems[0].field });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await api.requestIntegration(integrationRequestOf(values));
      setValues(kEmptyIntegrationForm);
      setSent(created);
    } catch (error) {
      const field = error instanceof ApiError ? formFieldOf(invalidFieldName(error)) : null;
      if (field && isShown(field, values, departments)) {
        setErrors({ [field]: errorText(i18n, error) });
        setFocusField({ field });
      } else {
        setErrors({ form: errorText(i18n, error) });
        setFocusField({ field: 'form' });
      }
    } finally {
      setBusy(false);
    }
  };

  const departmentChoices =
    departments.kind === 'loaded' ? departments.items.map((department) => ({ value: String(department.id), label: department.name })) : [];

  return (
    <>
      <PageHeading>{t('integration_form.title')}</PageHeading>
      <p class={pageStyles.lead}>{t('integration_form.lead')}</p>
      {sent ? (
        <div ref={sentBox} tabIndex={-1}>
          <Alert tone="success">
            <p>{t('integration_form.sent', { name: sent.name })}</p>
            <p>
              <Link href={integrationDetailsPath(sent.id)}>{t('integration_form.open_sent')}</Link>
            </p>
          </Alert>
        </div>
      ) : null}
      <Form class={classes(pageStyles.form, styles.form)} busy={busy} onSubmit={() => void submit()}>
        <div ref={formTop} tabIndex={-1}>
          {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
        </div>
        <TextField
          id="integration-name"
          label={t('integration_form.name')}
          value={values.name}
          onValue={(value) => set('name', value)}
          error={errors.name}
          required
        />
        <ChoiceGroup
          id="integration-level"
          legend={t('integration_form.level')}
          type="radio"
          choices={kIntegrationLevels.map((level) => ({ value: level, label: levelName(i18n, level) }))}
          selected={[values.level]}
          onChange={(selected) => set('level', (selected[0] ?? 'link') as IntegrationLevel)}
          help={t(`integration.level_help.${values.level}`)}
          error={errors.level}
        />
        <TextField
          id="integration-owner"
          label={t('integration_form.owner')}
          value={values.owner}
          onValue={(value) => set('owner', value)}
          error={errors.owner}
          required
        />
        <TextAreaField
          id="integration-purpose"
          label={t('integration_form.purpose')}
          value={values.purpose}
          onValue={(value) => set('purpose', value)}
          error={errors.purpose}
          rows={3}
        />
        {fields.launchUrl !== 'none' ? (
          <TextField
            id="integration-launch-url"
            type="url"
            label={t('integration_form.launch_url')}
            help={t('integration_form.launch_url.help')}
            value={values.launchUrl}
            onValue={(value) => set('launchUrl', value)}
            error={errors.launch_url}
            autocapitalize="none"
            autocorrect="off"
            spellcheck={false}
            required={fields.launchUrl === 'required'}
          />
        ) : null}
        {fields.origins !== 'none' ? (
          <TextAreaField
            id="integration-origins"
            label={t('integration_form.origins')}
            help={t('integration_form.origins.help')}
            value={values.origins}
            onValue={(value) => set('origins', value)}
            error={errors.origins}
            rows={3}
          />
        ) : null}
        {fields.redirectUris !== 'none' ? (
          <TextAreaField
            id="integration-redirect-uris"
            label={t('integration_form.redirect_uris')}
            help={t('integration_form.redirect_uris.help')}
            value={values.redirectUris}
            onValue={(value) => set('redirectUris', value)}
            error={errors.redirect_uris}
            rows={3}
          />
        ) : null}
        {fields.scopes !== 'none' ? (
          <ChoiceGroup
            id="integration-scopes"
            legend={t('integration_form.scopes')}
            type="checkbox"
            // The scopes a level always has (sso: openid) are said, not offered.
            choices={scopes.filter((scope) => !always.includes(scope)).map((scope) => ({ value: scope, label: scopeName(i18n, scope) }))}
            selected={values.scopes.filter((scope) => scopes.includes(scope))}
            onChange={(selected) => set('scopes', selected)}
            help={always.length > 0 ? t('integration_form.scopes.always', { scopes: always.join(', ') }) : undefined}
            error={errors.scopes}
          />
        ) : null}
        <ChoiceGroup
          id="integration-roles"
          legend={t('integration_form.roles')}
          type="checkbox"
          inline
          choices={kVisibleRoles.map((role) => ({ value: role, label: roleName(i18n, role) }))}
          selected={values.roles}
          onChange={(selected) => set('roles', selected)}
          help={t('integration_form.roles.help')}
          error={errors.visible_roles}
        />
        {departments.kind === 'loading' ? <p role="status">{t('common.loading')}</p> : null}
        {departments.kind === 'failed' ? <Alert tone="error">{departments.message}</Alert> : null}
        {departments.kind === 'loaded' && departmentChoices.length > 0 ? (
          <ChoiceGroup
            id="integration-departments"
            legend={t('integration_form.departments')}
            type="checkbox"
            choices={departmentChoices}
            selected={values.departments}
            onChange={(selected) => set('departments', selected)}
            help={t('integration_form.departments.help')}
            error={errors.visible_departments}
          />
        ) : null}
        <div class={pageStyles.actions}>
          <SubmitButton blocked={busy}>{t('integration_form.submit')}</SubmitButton>
        </div>
      </Form>
    </>
  );
}

// Whether the form shows `field` for the level chosen.
function isShown(field: IntegrationField, values: IntegrationFormValues, departments: Departments): boolean {
  const fields = levelFields(values.level);
  switch (field) {
    case 'launch_url':
      return fields.launchUrl !== 'none';
    case 'origins':
      return fields.origins !== 'none';
    case 'redirect_uris':
      return fields.redirectUris !== 'none';
    case 'scopes':
      return fields.scopes !== 'none';
    case 'visible_departments':
      return departments.kind === 'loaded' && departments.items.length > 0;
    default:
      return kIntegrationFields.includes(field);
  }
}
