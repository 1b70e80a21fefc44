import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useI18n } from '../i18n/I18nContext';
import { PageHeading } from '../ui/PageHeading';

// The answer to a meeting that does not exist or is not the person's: the
// server does not say which (404 either way), and neither do we.
export function MeetingNotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('meeting.not_found.title')}</PageHeading>
      <p>{t('meeting.not_found.text')}</p>
      <p>
        <Link href={kPaths.meetings}>{t('meeting.back')}</Link>
      </p>
    </>
  );
}
