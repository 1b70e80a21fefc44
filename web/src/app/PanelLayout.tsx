import type { ComponentChildren } from 'preact';
import { PageHeading } from '../ui/PageHeading';
import styles from './PanelLayout.module.css';
import { PlainLayout } from './PlainLayout';

// The plain frame with the view in one panel, under its heading and lead:
// sign-in and the forced steps that come before the workspace.
export function PanelLayout(props: {
  title: string;
  lead?: string;
  onSignOut?: () => void;
  children: ComponentChildren;
}) {
  return (
    <PlainLayout onSignOut={props.onSignOut}>
      <div class={styles.panel}>
        <PageHeading>{props.title}</PageHeading>
        {props.lead ? <p class={styles.lead}>{props.lead}</p> : null}
        {props.children}
      </div>
    </PlainLayout>
  );
}
