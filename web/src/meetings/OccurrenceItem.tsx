import { useId } from 'preact/hooks';
import type { Occurrence } from '../api/types';
import { Link } from '../app/Link';
import { meetingPath } from '../app/router';
import { useI18n } from '../i18n/I18nContext';
import { classes } from '../ui/classes';
import listStyles from '../ui/ItemList.module.css';
import { JoinButton } from './JoinButton';
import styles from './Meetings.module.css';

// One occurrence in a list: time, title (a link to the meeting), place,
// organiser, my answer, and the join button.
export function OccurrenceItem(props: { occurrence: Occurrence; showDate?: boolean; headingLevel?: 3 | 4 }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { occurrence } = props;
  const titleId = `occurrence-${useId()}`;
  const Heading = props.headingLevel === 4 ? 'h4' : 'h3';
  const cancelled = occurrence.status === 'cancelled';
  const when = props.showDate
    ? i18n.timeRange(occurrence.starts_at, occurrence.ends_at)
    : t('meetings.time_range', { start: i18n.time(occurrence.starts_at), end: i18n.time(occurrence.ends_at) });
  return (
    <li class={classes(listStyles.item, cancelled && listStyles.itemMuted, cancelled && styles.cancelledItem)} data-testid="occurrence">
      <p class={styles.when}>
        <time dateTime={occurrence.starts_at}>{when}</time>
      </p>
      <Heading id={titleId} class={styles.occurrenceTitle}>
        <Link href={meetingPath(occurrence.meeting_id)}>{occurrence.title}</Link>
      </Heading>
      <p class={classes(listStyles.facts, styles.facts)}>
        <span>{t('meetings.place_is', { place: occurrence.room.name })}</span>
        <span>{t('meetings.organiser_is', { name: occurrence.organiser.name })}</span>
        {occurrence.my_response ? (
          <span>
            {t('meetings.your_answer', {
              answer: i18n.td(`meeting.response.${occurrence.my_response}`) ?? occurrence.my_response,
            })}
          </span>
        ) : null}
      </p>
      <p class={classes(listStyles.badges, styles.badges)}>
        {cancelled ? <span class={listStyles.badgeDanger}>{t('meetings.cancelled')}</span> : null}
        {occurrence.recurring ? <span class={listStyles.badge}>{t('meetings.recurring')}</span> : null}
      </p>
      {cancelled ? null : <JoinButton meetingId={occurrence.meeting_id} item={occurrence} describedBy={titleId} />}
    </li>
  );
}
