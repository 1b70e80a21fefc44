import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { PasswordField } from '../ui/PasswordField';
import { errorText, problemText } from '../ui/problem_text';
import { useFormFields, type FieldErrors } from '../ui/use_form_fields';
import { kPasswordMaxLength, kPasswordMinLength, lengthViolation } from './password_policy';
import styles from './Security.module.css';

const kFields = ['current', 'new', 'repeat'] as const;
type Field = (typeof kFields)[number];

// Changing one's password: used by the forced first-sign-in view (where the
// current password is the one-time one) and by the Security view.
export function ChangePasswordForm(props: { oneTime?: boolean; onDone: () => void | Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, session } = useServices();
  const fields = useFormFields(kFields);
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const prefix = props.oneTime ? 'first-password' : 'change-password';

  const fail = (fieldErrors: FieldErrors<Field>, message: string | null = null) => {
    fields.showErrors(fieldErrors);
    setFormError(message);
  };

  const violationText = (slug: string) =>
    i18n.td(`password.violation.${slug}`, { min: kPasswordMinLength, max: kPasswordMaxLength }) ?? slug;

  const submit = async () => {
    if (busy) return;
    setDone(false);
    const { current, new: next, repeat } = fields.values;
    const found: FieldErrors<Field> = {};
    if (current === '') found.current = t('password.error.current_required');
    const tooShortOrLong = lengthViolation(next);
    if (next === '') found.new = t('password.error.new_required');
    else if (tooShortOrLong) found.new = violationText(tooShortOrLong);
    if (!found.new && next !== repeat) found.repeat = t('password.error.mismatch');
    if (Object.keys(found).length > 0) {
      fail(found);
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      fail({});
      fields.clear(...kFields);
      setDone(true);
      await props.onDone();
    } catch (error) {
      if (error instanceof ApiError && error.is('wrong-current-password')) fail({ current: problemText(i18n, error) });
      else if (error instanceof ApiError && error.is('weak-password')) {
        const violations = error.stringList('violations');
        fail({
          new: (
            <>
              <p>{problemText(i18n, error)}</p>
              {violations.length > 0 ? (
                <ul>
                  {violations.map((slug) => (
                    <li key={slug}>{violationText(slug)}</li>
                  ))}
                </ul>
              ) : null}
            </>
          ),
        });
      } else fail({}, errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  // The three fields differ only in name, label, help and autocomplete.
  const passwordField = (
    name: Field,
    label: string,
    autocomplete: 'current-password' | 'new-password',
    help?: ComponentChildren,
  ) => (
    <PasswordField id={`${prefix}-${name}`} label={label} help={help} {...fields.field(name)} autocomplete={autocomplete} />
  );
  const policy = (
    <>
      <p class={styles.helpTitle}>{t('password.policy.title')}</p>
      <ul>
        <li>{t('password.policy.length', { min: kPasswordMinLength, max: kPasswordMaxLength })}</li>
        <li>{t('password.policy.personal')}</li>
        <li>{t('password.policy.different')}</li>
      </ul>
    </>
  );
  return (
    <Form class={styles.form} busy={busy} onSubmit={() => void submit()}>
      {/* Tells password managers whose password this is (hidden: not in the
          accessibility tree). Unknown only after a reload in the forced step. */}
      {session.personalCode ? (
        <input type="text" name="username" autocomplete="username" value={session.personalCode} readOnly hidden />
      ) : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {done && !props.oneTime ? <Alert tone="success">{t('password.changed')}</Alert> : null}
      {passwordField(
        'current',
        props.oneTime ? t('password.current_one_time.label') : t('password.current.label'),
        'current-password',
      )}
      {passwordField('new', t('password.new.label'), 'new-password', policy)}
      {passwordField('repeat', t('password.repeat.label'), 'new-password')}
      <SubmitButton blocked={busy}>
        {props.oneTime ? t('password.submit_one_time') : t('password.submit')}
      </SubmitButton>
    </Form>
  );
}
