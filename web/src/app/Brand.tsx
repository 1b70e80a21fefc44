import { useI18n } from '../i18n/I18nContext';
import { BrandMark } from './BrandMark';
import styles from './Layout.module.css';
import { Link } from './Link';

// Product name and organisation; a link home when signed in.
export function Brand(props: { linked: boolean }) {
  const { t } = useI18n();
  const content = (
    <>
      <BrandMark class={styles.mark} />
      <span class={styles.brandText}>
        <span class={styles.product}>{t('app.name')}</span>
        <span class={styles.organisation}>{t('app.organisation')}</span>
      </span>
    </>
  );
  return props.linked ? (
    <Link href="/" class={styles.brand}>
      {content}
    </Link>
  ) : (
    <div class={styles.brand}>{content}</div>
  );
}
