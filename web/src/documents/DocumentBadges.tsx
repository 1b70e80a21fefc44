import type { Classification } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import { classificationText } from './document_labels';
import styles from './Documents.module.css';

// "Вътрешен", read out as "Класификация: Вътрешен".
export function ClassificationBadge(props: { classification: Classification | string }) {
  const i18n = useI18n();
  return (
    <span class={props.classification === 'restricted' ? listStyles.badgeDanger : listStyles.badge}>
      <span class="visually-hidden">{i18n.t('classification.badge')} </span>
      {classificationText(i18n, props.classification)}
    </span>
  );
}

export function PendingScanBadge() {
  const { t } = useI18n();
  return (
    <span class={classes(listStyles.pill, styles.badgePending)} data-testid="pending-scan">
      {t('documents.pending_scan')}
    </span>
  );
}
