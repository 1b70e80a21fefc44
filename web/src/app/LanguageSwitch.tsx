import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import styles from './LanguageSwitch.module.css';
import layout from './Layout.module.css';

// One button that switches to the other language. Its name is in both
// languages ("Език / Language: English") so that anyone can find it.
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  const other = lang === 'bg' ? 'en' : 'bg';
  return (
    <button type="button" class={classes(layout.headerButton, styles.switch)} onClick={() => setLang(other)}>
      <svg class={styles.icon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8" />
        <path
          d="M3 12h18M12 3c2.5 2.6 3.6 5.6 3.6 9s-1.1 6.4-3.6 9c-2.5-2.6-3.6-5.6-3.6-9S9.5 5.6 12 3Z"
          fill="none"
          stroke="currentColor"
          stroke-width="1.8"
        />
      </svg>
      <span class="visually-hidden">{t('lang.switch_prefix')} </span>
      <span lang={other}>{t('lang.other_name')}</span>
    </button>
  );
}
