import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { translate } from '../i18n/i18n';
import { errorText } from '../ui/problem_text';
import { classes } from '../ui/classes';
import styles from './Layout.module.css';
import { useServices } from './services';
import { useStore } from './use_store';

// "Не безпокойте": a toggle button (aria-pressed) in the header menu. While
// on, calls answer busy at once. The outcome is read out by the live region.
export function DoNotDisturbToggle() {
  const i18n = useI18n();
  const { presence, announcer } = useServices();
  const on = useStore(presence.doNotDisturb);
  const [busy, setBusy] = useState(false);
  const toggle = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await presence.setDoNotDisturb(!on);
      const key = on ? 'layout.dnd.off' : 'layout.dnd.on';
      announcer.say((lang) => translate(lang, key));
    } catch (error) {
      const text = errorText(i18n, error);
      announcer.say(() => text);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      class={classes(styles.headerButton, styles.dnd, on && styles.dndOn)}
      aria-pressed={on ? 'true' : 'false'}
      aria-disabled={busy ? 'true' : undefined}
      onClick={() => void toggle()}
    >
      <svg class={styles.menuIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" stroke-width="1.8" />
        <path d="M7.5 12h9" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
      </svg>
      {i18n.t('layout.dnd')}
    </button>
  );
}
