import { useI18n } from '../i18n/I18nContext';
import { PageHeading } from '../ui/PageHeading';
import { Link } from './Link';

export function NotFoundView() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('not_found.title')}</PageHeading>
      <p>{t('not_found.text')}</p>
      <p>
        <Link href="/">{t('not_found.home')}</Link>
      </p>
    </>
  );
}
