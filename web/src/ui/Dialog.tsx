import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import styles from './Dialog.module.css';

const kFocusable =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// A modal dialog: role="dialog" (or "alertdialog") with aria-modal, named by
// its title and described by its text. While it is open everything else on
// the page is inert and Tab cycles inside it; focus starts on
// `initialFocus` (or the first control) and returns where it was on close.
// Escape calls `onEscape` when given.
export function Dialog(props: {
  title: string;
  text?: ComponentChildren;
  children: ComponentChildren;
  role?: 'dialog' | 'alertdialog';
  onEscape?: () => void;
  initialFocus?: RefObject<HTMLElement | null>;
  testId?: string;
}) {
  const id = useId();
  const titleId = `dialog-${id}-title`;
  const textId = `dialog-${id}-text`;
  const backdrop = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const madeInert = backdrop.current ? makeOthersInert(backdrop.current) : [];
    const target = props.initialFocus?.current ?? panel.current?.querySelector<HTMLElement>(kFocusable) ?? panel.current;
    target?.focus();
    return () => {
      for (const element of madeInert) element.removeAttribute('inert');
      if (previous && previous.isConnected) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && props.onEscape) {
      event.preventDefault();
      props.onEscape();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const items = [...panel.current.querySelectorAll<HTMLElement>(kFocusable)];
    if (items.length === 0) {
      event.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === panel.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div ref={backdrop} class={styles.backdrop}>
      <div
        ref={panel}
        class={styles.dialog}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={props.text ? textId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={props.testId}
      >
        <h2 id={titleId} class={styles.title}>
          {props.title}
        </h2>
        {props.text ? (
          <div id={textId} class={styles.text}>
            {props.text}
          </div>
        ) : null}
        {props.children}
      </div>
    </div>
  );
}

// Marks every sibling of the element and of each of its ancestors inert;
// returns what it changed (elements that were inert already are left alone).
function makeOthersInert(element: HTMLElement): HTMLElement[] {
  const changed: HTMLElement[] = [];
  let node: HTMLElement | null = element;
  while (node && node.parentElement && node !== document.body) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || !(sibling instanceof HTMLElement) || sibling.hasAttribute('inert')) continue;
      // Live regions must still be heard (a call ends while a dialog is up).
      if (sibling.tagName === 'SCRIPT' || sibling.hasAttribute('aria-live')) continue;
      sibling.setAttribute('inert', '');
      changed.push(sibling);
    }
    node = node.parentElement;
  }
  return changed;
}
