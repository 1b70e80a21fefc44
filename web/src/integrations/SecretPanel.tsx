import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import pageStyles from '../ui/Page.module.css';
import { TextField } from '../ui/TextField';
import styles from './Integrations.module.css';

// A secret made by an approval: an sso client's secret or an api
// integration's token. The server keeps only its hash, so the page shows it
// this once, from the approval's answer, and never after a reload.
export interface ShownSecret {
  kind: 'client_secret' | 'api_token';
  value: string;
  // A token's end of validity.
  expiresAt?: string;
}

export function SecretPanel(props: { secret: ShownSecret; headingRef: Ref<HTMLHeadingElement>; onHide: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [copied, setCopied] = useState<boolean | null>(null);
  const title = t(`integration.secret.${props.secret.kind}`);
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard !== undefined;
  const { value } = props.secret;
  return (
    <section class={styles.secret} aria-labelledby="integration-secret-title" data-testid="integration-secret">
      <h2 id="integration-secret-title" ref={props.headingRef} tabIndex={-1}>
        {title}
      </h2>
      <p id="integration-secret-warning">
        <strong>{t('integration.secret.warning')}</strong>
      </p>
      {props.secret.expiresAt ? <p>{t('integration.secret.expires', { time: i18n.dateTime(props.secret.expiresAt) })}</p> : null}
      <TextField
        id="integration-secret-value"
        label={title}
        value={value}
        onValue={() => undefined}
        readOnly
        monospace
        spellcheck={false}
        autocomplete="off"
        onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
      />
      <div class={pageStyles.actions}>
        {canCopy ? (
          <Button
            onClick={() => {
              navigator.clipboard.writeText(value).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {t('integration.secret.copy')}
          </Button>
        ) : null}
        <Button variant="secondary" onClick={props.onHide}>
          {t('integration.secret.done')}
        </Button>
      </div>
      <p role="status" class={styles.copyStatus}>
        {copied === true ? t('integration.secret.copied') : copied === false ? t('integration.secret.copy_failed') : ''}
      </p>
    </section>
  );
}
