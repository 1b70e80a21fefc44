import { Link } from '../app/Link';
import { kPaths } from '../app/router';
import { useI18n } from '../i18n/I18nContext';
import { PageHeading } from '../ui/PageHeading';

// The answer to a document that does not exist or that the person may not
// see: the server does not say which (404 either way), and neither do we.
export function DocumentNotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('document.not_found.title')}</PageHeading>
      <p>{t('document.not_found.text')}</p>
      <p>
        <Link href={kPaths.documents}>{t('documents.back')}</Link>
      </p>
    </>
  );
}
