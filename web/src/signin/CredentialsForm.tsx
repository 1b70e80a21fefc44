import type { Ref } from 'preact';
import { useI18n } from '../i18n/I18nContext';
import { formatPersonalCode, isWellFormedPersonalCode } from '../state/personal_code';
import { Button } from '../ui/Button';
import { TextField } from '../ui/TextField';
import type { SignInErrors } from './SignInView';
import styles from './SignInView.module.css';

// Step one of signing in: personal code and password.
export function CredentialsForm(props: {
  code: string;
  password: string;
  errors: SignInErrors;
  busy: boolean;
  locked: boolean;
  codeRef: Ref<HTMLInputElement>;
  passwordRef: Ref<HTMLInputElement>;
  onCode: (value: string) => void;
  onPassword: (value: string) => void;
  onInvalid: (errors: SignInErrors) => void;
  onSubmit: () => void;
}) {
  const { t } = useI18n();
  return (
    <form
      class={styles.form}
      noValidate
      aria-busy={props.busy ? 'true' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        const errors: SignInErrors = {};
        if (props.code.trim() === '') errors.code = t('signin.error.code_required');
        if (props.password === '') errors.password = t('signin.error.password_required');
        if (errors.code || errors.password) props.onInvalid(errors);
        else props.onSubmit();
      }}
    >
      <TextField
        id="signin-code"
        label={t('signin.code.label')}
        help={t('signin.code.help')}
        value={props.code}
        onValue={props.onCode}
        onBlur={() => {
          if (isWellFormedPersonalCode(props.code)) props.onCode(formatPersonalCode(props.code));
        }}
        error={props.errors.code}
        inputRef={props.codeRef}
        autocomplete="username"
        autocapitalize="characters"
        spellcheck={false}
        autocorrect="off"
        monospace
        required
      />
      <TextField
        id="signin-password"
        type="password"
        label={t('signin.password.label')}
        value={props.password}
        onValue={props.onPassword}
        error={props.errors.password}
        inputRef={props.passwordRef}
        autocomplete="current-password"
        required
      />
      <Button type="submit" extraClass={styles.submit} aria-disabled={props.busy || props.locked ? 'true' : undefined}>
        {t('signin.submit')}
      </Button>
    </form>
  );
}
