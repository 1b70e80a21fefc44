import { useI18n } from '../i18n/I18nContext';

export const kMainId = 'main';

// Moves focus to <main> without touching the URL (a "#main" fragment would
// confuse the router and stay in the address bar).
export function SkipLink(props: { class: string }) {
  const { t } = useI18n();
  return (
    <a
      class={props.class}
      href={`#${kMainId}`}
      onClick={(event) => {
        const main = document.getElementById(kMainId);
        if (!main) return;
        event.preventDefault();
        main.focus();
        main.scrollIntoView();
      }}
    >
      {t('layout.skip_to_main')}
    </a>
  );
}
