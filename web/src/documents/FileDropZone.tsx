import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import pageStyles from '../ui/Page.module.css';
import fieldStyles from '../ui/TextField.module.css';
import styles from './Documents.module.css';

// Where a file is chosen: a zone that takes a dropped file and, clicked or
// reached with Tab (its file input is visually hidden inside it, and the zone
// shows the focus), opens the browser's file picker. The input's accessible
// name is the zone's title alone ("Файл"); the hint, the chosen file and the
// error describe it.
export function FileDropZone(props: {
  id: string;
  file: File | null;
  onFile: (file: File) => void;
  error?: string | null;
  disabled?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { id } = props;
  const [dragging, setDragging] = useState(false);
  const [severalDropped, setSeveralDropped] = useState(false);
  const zone = useRef<HTMLLabelElement>(null);

  const take = (files: FileList | null | undefined) => {
    if (!files || files.length === 0 || props.disabled) return;
    setSeveralDropped(files.length > 1);
    props.onFile(files[0]);
  };
  // What the listeners below read: this render's, not the first one's.
  const latest = useRef({ take, disabled: props.disabled });
  latest.current = { take, disabled: props.disabled };

  // Listeners added by hand: Preact finds a handler's event name through the
  // element's on* property, which test DOMs lack for drag events. Every
  // dragover must be cancelled, or the browser opens the file itself.
  useEffect(() => {
    const element = zone.current;
    if (!element) return;
    // dragenter/dragleave fire for every child crossed: count them.
    let depth = 0;
    const enter = (event: DragEvent) => {
      event.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = latest.current.disabled ? 'none' : 'copy';
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setDragging(false);
      latest.current.take(event.dataTransfer?.files);
    };
    element.addEventListener('dragenter', enter);
    element.addEventListener('dragover', over);
    element.addEventListener('dragleave', leave);
    element.addEventListener('drop', drop);
    return () => {
      element.removeEventListener('dragenter', enter);
      element.removeEventListener('dragover', over);
      element.removeEventListener('dragleave', leave);
      element.removeEventListener('drop', drop);
    };
  }, []);

  const describedBy = [`${id}-hint`, props.file ? `${id}-chosen` : null, severalDropped ? `${id}-note` : null, props.error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');

  return (
    <div class={fieldStyles.field}>
      <label
        class={classes(styles.dropZone, dragging && styles.dropZoneActive, props.error ? styles.dropZoneInvalid : null)}
        data-testid="drop-zone"
        ref={zone}
      >
        <svg class={styles.dropIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            d="M12 16V4m0 0-5 5m5-5 5 5M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            stroke-linecap="round"
            stroke-linejoin="round"
          />
        </svg>
        <span id={`${id}-label`} class={styles.dropLabel}>
          {t('upload.file.label')}
        </span>
        <span id={`${id}-hint`}>{t('upload.file.drop')}</span>
        <input
          id={id}
          type="file"
          class="visually-hidden"
          aria-labelledby={`${id}-label`}
          aria-describedby={describedBy}
          aria-invalid={props.error ? 'true' : undefined}
          disabled={props.disabled}
          onChange={(event) => {
            take(event.currentTarget.files);
            // The same file chosen again must be a change too.
            event.currentTarget.value = '';
          }}
        />
        {props.file ? (
          <span id={`${id}-chosen`} class={styles.chosen}>
            {t('upload.file.chosen', { name: props.file.name, size: i18n.fileSize(props.file.size) })}
          </span>
        ) : null}
        {severalDropped ? (
          <span id={`${id}-note`} class={pageStyles.muted}>
            {t('upload.file.one_only')}
          </span>
        ) : null}
      </label>
      {props.error ? (
        <div id={`${id}-error`} class={fieldStyles.error} role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}
