import { useId, useState } from 'preact/hooks';
import type { Employee, Presence } from '../api/types';
import { roomPath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import { errorText } from '../ui/problem_text';
import styles from './ColleaguesView.module.css';

// A colleague: name, position, presence (a dot and its word, live), facts,
// and, on another's card, "Room" (their personal room's page, to enter or
// knock) and "Call".
export function EmployeeCard(props: { employee: Employee; isMe: boolean }) {
  const i18n = useI18n();
  const { t, td } = i18n;
  const { api, presence, calls, router } = useServices();
  const known = useStore(presence.known);
  const { employee } = props;
  const nameId = `employee-${useId()}`;
  const [roomError, setRoomError] = useState<string | null>(null);
  const [findingRoom, setFindingRoom] = useState(false);
  const state: Presence | null = known.get(String(employee.id)) ?? null;

  // The room's id is asked for only when wanted (a request per card would
  // be wasted on a list of 50).
  const openRoom = async () => {
    if (findingRoom) return;
    setFindingRoom(true);
    setRoomError(null);
    try {
      const room = await api.getEmployeeRoom(employee.id);
      router.navigate(roomPath(room.id));
    } catch (error) {
      setRoomError(errorText(i18n, error));
      setFindingRoom(false);
    }
  };

  return (
    <article class={styles.card}>
      <h3 id={nameId} class={styles.name}>
        {employee.name}
      </h3>
      {employee.position ? <p class={styles.position}>{employee.position}</p> : null}
      {state ? (
        <p class={styles.presence} data-testid="presence">
          <span class={classes(styles.dot, styles[`dot-${state}`])} aria-hidden="true" />
          {td(`presence.${state}`) ?? state}
        </p>
      ) : null}
      <dl class={styles.facts}>
        <div>
          <dt>{t('profile.department')}</dt>
          <dd>{employee.department ? employee.department.name : t('colleagues.no_department')}</dd>
        </div>
        <div>
          <dt>{t('profile.code')}</dt>
          <dd>
            <code class={styles.code}>{employee.code}</code>
          </dd>
        </div>
        {employee.email ? (
          <div>
            <dt>{t('profile.email')}</dt>
            <dd>
              <a href={`mailto:${employee.email}`}>{employee.email}</a>
            </dd>
          </div>
        ) : null}
      </dl>
      {props.isMe ? null : (
        <>
          {roomError ? (
            <p class={styles.cardError} role="alert">
              {roomError}
            </p>
          ) : null}
          <div class={styles.cardActions}>
            <Button
              variant="secondary"
              aria-describedby={nameId}
              aria-disabled={findingRoom ? 'true' : undefined}
              onClick={() => void openRoom()}
            >
              <svg class={styles.actionIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                  d="M5 21V4.5A1.5 1.5 0 0 1 6.5 3h8A1.5 1.5 0 0 1 16 4.5V21M3 21h18M16 8h2.5A1.5 1.5 0 0 1 20 9.5V21M12.5 12.5v1"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="1.8"
                  stroke-linecap="round"
                  stroke-linejoin="round"
                />
              </svg>
              {t('colleagues.room')}
            </Button>
            <Button
              variant="secondary"
              aria-describedby={nameId}
              onClick={() => void calls.call({ id: employee.id, name: employee.name })}
            >
              <svg class={styles.actionIcon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                  d="M6.6 3.5 9 3l1.6 4.2-2 1.4a11 11 0 0 0 6.8 6.8l1.4-2L21 15l-.5 2.4a2 2 0 0 1-2 1.6A15.5 15.5 0 0 1 5 5.5a2 2 0 0 1 1.6-2Z"
                  fill="none"
                  stroke="currentColor"
                  stroke-width="1.8"
                  stroke-linejoin="round"
                />
              </svg>
              {t('colleagues.call')}
            </Button>
          </div>
        </>
      )}
    </article>
  );
}
