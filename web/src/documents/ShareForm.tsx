import { useEffect, useState } from 'preact/hooks';
import { ApiError, invalidFieldName } from '../api/problem';
import {
  kDocumentPermissions,
  type Department,
  type DocumentPermission,
  type DocumentRecord,
  type DocumentShare,
  type GranteeKind,
  type Id,
  type Occurrence,
} from '../api/types';
import { useServices } from '../app/services';
import { useI18n } from '../i18n/I18nContext';
import {
  allowedGranteeKinds,
  emptyShareDraft,
  meetingChoices,
  shareRequestOf,
  type ShareDraft,
  type ShareErrors,
} from '../state/share_form';
import { sofiaToday, toRfc3339 } from '../state/sofia_time';
import { Alert } from '../ui/Alert';
import { SubmitButton } from '../ui/Button';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { classes } from '../ui/classes';
import { Form } from '../ui/Form';
import pageStyles from '../ui/Page.module.css';
import { errorText } from '../ui/problem_text';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';
import { granteeKindText, permissionText } from './document_labels';
import styles from './Documents.module.css';
import { EmployeeChooser } from './EmployeeChooser';

// The meetings offered: those of the next two months (GET /meetings/upcoming
// answers at most 62 days).
const kMeetingHorizonMs = 60 * 86_400_000;

// "Share with someone else" (manage permission): an employee, a department
// or a meeting (a restricted document: employees only), a permission and an
// optional last day. Sharing again with the same grantee replaces the
// permission and the expiry (the server's rule).
export function ShareForm(props: { document: DocumentRecord; meId: Id; onShared: (share: DocumentShare, name: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const [draft, setDraft] = useState<ShareDraft>(emptyShareDraft);
  const [errors, setErrors] = useState<ShareErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [departments, setDepartments] = useState<Department[] | null>(null);
  const [meetings, setMeetings] = useState<Occurrence[] | null>(null);
  const kinds = allowedGranteeKinds(props.document.classification);
  const kind: GranteeKind = kinds.includes(draft.kind) ? draft.kind : 'employee';
  const today = sofiaToday(Date.now());

  // The lists of departments and meetings are asked for when first needed.
  useEffect(() => {
    if (kind === 'department' && departments === null) {
      api.listDepartments().then(
        (answer) => setDepartments(answer.items),
        (error: unknown) => {
          setDepartments([]);
          setFormError(errorText(i18n, error));
        },
      );
    }
    if (kind === 'meeting' && meetings === null) {
      const now = Date.now();
      api.upcomingMeetings({ from: toRfc3339(now), to: toRfc3339(now + kMeetingHorizonMs) }).then(
        (answer) => setMeetings(meetingChoices(answer.occurrences)),
        (error: unknown) => {
          setMeetings([]);
          setFormError(errorText(i18n, error));
        },
      );
    }
  }, [kind]);

  const change = (changes: Partial<ShareDraft>) => setDraft((old) => ({ ...old, ...changes }));

  const granteeName = (): string => {
    if (kind === 'employee') return draft.employee?.name ?? '';
    if (kind === 'department') return departments?.find((d) => String(d.id) === String(draft.department))?.name ?? '';
    return meetings?.find((m) => String(m.meeting_id) === String(draft.meeting))?.title ?? '';
  };

  const submit = async () => {
    if (busy) return;
    setFormError(null);
    const checked = shareRequestOf({ ...draft, kind }, { classification: props.document.classification, today });
    if (checked.errors) {
      setErrors(checked.errors);
      focusFirstError(checked.errors, kind);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const share = await api.addShare(props.document.id, checked.request);
      const name = share.grantee?.name || granteeName();
      setDraft((old) => ({ ...emptyShareDraft(), kind: old.kind }));
      props.onShared(share, name);
    } catch (error) {
      if (error instanceof ApiError && invalidFieldName(error) === 'expires_at') {
        setErrors({ expires: 'expires-invalid' });
        setFormError(errorText(i18n, error));
      } else setFormError(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  const granteeError = errors.grantee ? t(`share.error.${errors.grantee}`) : undefined;
  return (
    <section class={classes(pageStyles.subform, styles.subform)} aria-labelledby="share-form-title">
      <h3 id="share-form-title" class={pageStyles.subformTitle}>
        {t('share.add.title')}
      </h3>
      <Form class={pageStyles.form} busy={busy} onSubmit={() => void submit()}>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        {props.document.classification === 'restricted' ? <p class={pageStyles.muted}>{t('share.restricted_note')}</p> : null}
        {kinds.length > 1 ? (
          <ChoiceGroup
            id="share-kind"
            legend={t('share.kind.legend')}
            type="radio"
            inline
            choices={kinds.map((value) => ({ value, label: granteeKindText(i18n, value) }))}
            selected={[kind]}
            onChange={(selected) => {
              setErrors({});
              change({ kind: selected[0] as GranteeKind });
            }}
          />
        ) : null}
        {kind === 'employee' ? (
          <EmployeeChooser
            chosen={draft.employee}
            onChoose={(employee) => change({ employee })}
            excludeId={props.meId}
            error={granteeError}
          />
        ) : null}
        {kind === 'department' ? (
          <SelectField
            id="share-department"
            label={t('share.department.label')}
            value={String(draft.department)}
            onValue={(department) => change({ department })}
            error={granteeError}
            options={[
              { value: '', label: departments === null ? t('common.loading') : t('share.department.choose') },
              ...(departments ?? []).map((d) => ({ value: String(d.id), label: d.name })),
            ]}
          />
        ) : null}
        {kind === 'meeting' ? (
          <SelectField
            id="share-meeting"
            label={t('share.meeting.label')}
            value={String(draft.meeting)}
            onValue={(meeting) => change({ meeting })}
            error={granteeError}
            help={meetings !== null && meetings.length === 0 ? t('share.meeting.none') : undefined}
            options={[
              { value: '', label: meetings === null ? t('common.loading') : t('share.meeting.choose') },
              ...(meetings ?? []).map((m) => ({
                value: String(m.meeting_id),
                label: t('share.meeting.option', { title: m.title, when: i18n.dateTime(m.starts_at) }),
              })),
            ]}
          />
        ) : null}
        <SelectField
          id="share-permission"
          label={t('share.permission.label')}
          help={t('permission.help')}
          value={draft.permission}
          onValue={(permission) => change({ permission: permission as DocumentPermission })}
          options={kDocumentPermissions.map((value) => ({ value, label: permissionText(i18n, value) }))}
        />
        <TextField
          id="share-expires"
          type="date"
          label={t('share.expires.label')}
          help={t('share.expires.help')}
          value={draft.expires}
          onValue={(expires) => change({ expires })}
          min={today}
          error={errors.expires ? t(`share.error.${errors.expires}`) : undefined}
        />
        <SubmitButton blocked={busy}>{t('share.submit')}</SubmitButton>
      </Form>
    </section>
  );
}

function focusFirstError(errors: ShareErrors, kind: GranteeKind): void {
  const target = errors.grantee
    ? kind === 'employee'
      ? 'share-employee-search'
      : kind === 'department'
        ? 'share-department'
        : kind === 'meeting'
          ? 'share-meeting'
          : 'share-kind-first'
    : 'share-expires';
  document.getElementById(target)?.focus();
}
