import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import { levelName, statusName } from './integration_labels';
import styles from './Integrations.module.css';

// An integration's state, in its colours.
export function StatusBadge(props: { status: string }) {
  const i18n = useI18n();
  return (
    <span class={classes(styles.status, styles[`status-${props.status}`])} data-testid="integration-status">
      {statusName(i18n, props.status)}
    </span>
  );
}

export function LevelBadge(props: { level: string }) {
  const i18n = useI18n();
  return <span class={listStyles.badge}>{levelName(i18n, props.level)}</span>;
}
