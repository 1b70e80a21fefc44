import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import styles from './Card.module.css';

// A titled section of a view. `headingLevel` keeps the outline right where a
// card sits inside another section.
export function Card(props: {
  title: string;
  headingLevel?: 2 | 3;
  children?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const headingId = `card-${useId()}`;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <section class={styles.card} aria-labelledby={headingId}>
      <div class={styles.header}>
        <Heading id={headingId} class={styles.title}>
          {props.title}
        </Heading>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}
