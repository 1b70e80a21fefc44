import { useEffect, useRef } from 'preact/hooks';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';

// The one <h1> of a view. Sets the document title, and after an in-app
// navigation takes focus so that screen readers announce the new view.
export function PageHeading(props: { children: string; id?: string }) {
  const { router } = useServices();
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.children} — ${t('app.name')}`;
  }, [props.children, t]);
  useEffect(() => {
    if (router.navigated) ref.current?.focus();
  }, [router]);
  return (
    <h1 ref={ref} id={props.id} tabIndex={-1}>
      {props.children}
    </h1>
  );
}
