import type { ComponentChildren } from 'preact';

// A form that the view checks and sends itself: `noValidate` (the view
// shows the errors, in the page's language, tied to the fields), submitted
// without a page load, and aria-busy while a request is under way.
export function Form(props: {
  class: string;
  busy: boolean;
  onSubmit: () => void;
  labelledBy?: string;
  children: ComponentChildren;
}) {
  return (
    <form
      class={props.class}
      noValidate
      aria-labelledby={props.labelledBy}
      aria-busy={props.busy ? 'true' : undefined}
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}
