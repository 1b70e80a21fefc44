import { useId } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { announcedFraction, uploadFraction, type UploadState } from '../state/upload_task';
import { Button } from '../ui/Button';
import pageStyles from '../ui/Page.module.css';
import styles from './Documents.module.css';

// An upload under way: a labelled <progress>, the bytes sent, a polite live
// region that reads the percentage out every tenth of the way (not at each
// progress event), and the button that cancels it.
export function UploadProgress(props: { state: UploadState<unknown>; onCancel: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = `upload-progress-${useId()}`;
  const { state } = props;
  const fraction = uploadFraction(state);
  // The epsilon keeps 0.29 × 100 = 28.999… from showing as 28.
  const percent = Math.floor(fraction * 100 + 1e-9);
  return (
    <div class={styles.progress} data-testid="upload-progress">
      <label for={id} class={styles.progressLabel}>
        {t('upload.progress.label')}
      </label>
      <progress id={id} class={styles.progressBar} max={100} value={percent}>
        {i18n.percent(percent / 100)}
      </progress>
      <span>
        {t('upload.progress.sent', {
          percent: i18n.percent(percent / 100),
          loaded: i18n.fileSize(state.loaded),
          total: i18n.fileSize(state.total),
        })}
      </span>
      <span class="visually-hidden" role="status" aria-live="polite" data-testid="upload-announcement">
        {t('upload.progress.announce', { percent: i18n.percent(announcedFraction(fraction)) })}
      </span>
      <div class={pageStyles.actions}>
        <Button variant="secondary" onClick={props.onCancel}>
          {t('upload.cancel')}
        </Button>
      </div>
    </div>
  );
}
