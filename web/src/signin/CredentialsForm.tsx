import { useI18n } from '../i18n/I18nContext';
import { formatPersonalCode, isWellFormedPersonalCode } from '../state/personal_code';
import { SubmitButton } from '../ui/Button';
import { Form } from '../ui/Form';
import { PasswordField } from '../ui/PasswordField';
import { TextField } from '../ui/TextField';
import type { FormFields } from '../ui/use_form_fields';
import type { SignInErrors, SignInField } from './SignInView';
import styles from './SignInView.module.css';

// Step one of signing in: personal code and password.
export function CredentialsForm(props: {
  fields: FormFields<SignInField>;
  busy: boolean;
  locked: boolean;
  onInvalid: (errors: SignInErrors) => void;
  onSubmit: () => void;
}) {
  const { t } = useI18n();
  const { fields } = props;
  const { code, password } = fields.values;
  return (
    <Form
      class={styles.form}
      busy={props.busy}
      onSubmit={() => {
        const errors: SignInErrors = {};
        if (code.trim() === '') errors.code = t('signin.error.code_required');
        if (password === '') errors.password = t('signin.error.password_required');
        if (errors.code || errors.password) props.onInvalid(errors);
        else props.onSubmit();
      }}
    >
      <TextField
        id="signin-code"
        label={t('signin.code.label')}
        help={t('signin.code.help')}
        {...fields.field('code')}
        onBlur={() => {
          if (isWellFormedPersonalCode(code)) fields.setValue('code', formatPersonalCode(code));
        }}
        autocomplete="username"
        autocapitalize="characters"
        spellcheck={false}
        autocorrect="off"
        monospace
        required
      />
      <PasswordField
        id="signin-password"
        label={t('signin.password.label')}
        {...fields.field('password')}
        autocomplete="current-password"
      />
      <SubmitButton extraClass={styles.submit} blocked={props.busy || props.locked}>
        {t('signin.submit')}
      </SubmitButton>
    </Form>
  );
}
