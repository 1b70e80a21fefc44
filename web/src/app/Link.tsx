import type { AnchorHTMLAttributes } from 'preact';
import { useServices } from './services';

// An <a> that navigates inside the app without a page load; modified clicks
// (new tab, new window) are left to the browser.
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { router } = useServices();
  const { href, onClick, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (typeof onClick === 'function') onClick(event);
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        router.navigate(href);
      }}
    />
  );
}
