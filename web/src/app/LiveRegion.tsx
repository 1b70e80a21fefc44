import { useI18n } from '../i18n/I18nContext';
import { useServices } from './services';
import { useStore } from './use_store';

// The one polite live region of the workspace: what changed on its own (a
// notification arrived, a call ended, a knock was answered). Visually hidden;
// the change itself is visible where it happened.
export function LiveRegion() {
  const { lang } = useI18n();
  const { announcer } = useServices();
  const current = useStore(announcer.current);
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region">
      {current ? <span key={current.seq}>{current.render(lang)}</span> : null}
    </div>
  );
}
