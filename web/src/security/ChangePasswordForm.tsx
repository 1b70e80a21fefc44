import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/problem';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { problemText } from '../ui/problem_text';
import { TextField } from '../ui/TextField';
import { kPasswordMaxLength, kPasswordMinLength, lengthViolation } from './password_policy';
import styles from './Security.module.css';

type Field = 'current' | 'next' | 'repeat';
type Errors = Partial<Record<Field, ComponentChildren>>;

// Changing one's password: used by the forced first-sign-in view (where the
// current password is the one-time one) and by the Security view.
export function ChangePasswordForm(props: { oneTime?: boolean; onDone: () => void | Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [focusTarget, setFocusTarget] = useState<{ field: Field } | null>(null);
  const refs = {
    current: useRef<HTMLInputElement>(null),
    next: useRef<HTMLInputElement>(null),
    repeat: useRef<HTMLInputElement>(null),
  };
  const prefix = props.oneTime ? 'first-password' : 'change-password';

  useEffect(() => {
    if (focusTarget) refs[focusTarget.field].current?.focus();
  }, [focusTarget]);

  const fail = (fieldErrors: Errors, message: string | null = null) => {
    setErrors(fieldErrors);
    setFormError(message);
    const first = (['current', 'next', 'repeat'] as const).find((f) => fieldErrors[f]);
    if (first) setFocusTarget({ field: first });
  };

  const violationText = (slug: string) =>
    i18n.td(`password.violation.${slug}`, { min: kPasswordMinLength, max: kPasswordMaxLength }) ?? slug;

  const submit = async () => {
    if (busy) return;
    setDone(false);
    const found: Errors = {};
    if (current === '') found.current = t('password.error.current_required');
    const tooShortOrLong = lengthViolation(next);
    if (next === '') found.next = t('password.error.new_required');
    else if (tooShortOrLong) found.next = violationText(tooShortOrLong);
    if (!found.next && next !== repeat) found.repeat = t('password.error.mismatch');
    if (Object.keys(found).length > 0) {
      fail(found);
      return;
    }
    setBusy(true);
    try {
      await api.changePassword(current, next);
      setErrors({});
      setFormError(null);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      await props.onDone();
    } catch (error) {
      if (!(error instanceof ApiError)) fail({}, t('error.unexpected'));
      else if (error.is('wrong-current-password')) fail({ current: problemText(i18n, error) });
      else if (error.is('weak-password')) {
        const violations = error.stringList('violations');
        fail({
          next: (
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
      } else fail({}, problemText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      class={styles.form}
      aria-busy={busy ? 'true' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      {done && !props.oneTime ? <Alert tone="success">{t('password.changed')}</Alert> : null}
      <TextField
        id={`${prefix}-current`}
        type="password"
        label={props.oneTime ? t('password.current_one_time.label') : t('password.current.label')}
        value={current}
        onValue={setCurrent}
        error={errors.current}
        inputRef={refs.current}
        autocomplete="current-password"
        required
      />
      <TextField
        id={`${prefix}-new`}
        type="password"
        label={t('password.new.label')}
        help={
          <>
            <p class={styles.helpTitle}>{t('password.policy.title')}</p>
            <ul>
              <li>{t('password.policy.length', { min: kPasswordMinLength, max: kPasswordMaxLength })}</li>
              <li>{t('password.policy.personal')}</li>
              <li>{t('password.policy.different')}</li>
            </ul>
          </>
        }
        value={next}
        onValue={setNext}
        error={errors.next}
        inputRef={refs.next}
        autocomplete="new-password"
        required
      />
      <TextField
        id={`${prefix}-repeat`}
        type="password"
        label={t('password.repeat.label')}
        value={repeat}
        onValue={setRepeat}
        error={errors.repeat}
        inputRef={refs.repeat}
        autocomplete="new-password"
        required
      />
      <Button type="submit" aria-disabled={busy ? 'true' : undefined}>
        {props.oneTime ? t('password.submit_one_time') : t('password.submit')}
      </Button>
    </form>
  );
}
