import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import styles from './Security.module.css';

// The recovery codes, shown once right after enrolment.
export function RecoveryCodesPanel(props: {
  codes: string[];
  headingLevel: 2 | 3;
  onDone: () => void | Promise<void>;
}) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<boolean | null>(null);
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3';
  const panel = useRef<HTMLDivElement>(null);
  // The confirm button that led here is gone: start reading from the top.
  useEffect(() => panel.current?.focus(), []);
  const canCopy = typeof navigator !== 'undefined' && navigator.clipboard !== undefined;
  return (
    <div ref={panel} tabIndex={-1} class={styles.codesPanel}>
      <Alert tone="success">{t('totp.enabled')}</Alert>
      <Heading>{t('totp.codes.title')}</Heading>
      <p>{t('totp.codes.text')}</p>
      <ol class={styles.codes}>
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div class={styles.actions}>
        <Button onClick={() => void props.onDone()}>{t('totp.codes.saved')}</Button>
        {canCopy ? (
          <Button
            variant="secondary"
            onClick={() => {
              navigator.clipboard.writeText(props.codes.join('\n')).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {t('totp.codes.copy')}
          </Button>
        ) : null}
      </div>
      <p role="status" class={styles.copyStatus}>
        {copied === true ? t('totp.codes.copied') : copied === false ? t('totp.codes.copy_failed') : ''}
      </p>
    </div>
  );
}
