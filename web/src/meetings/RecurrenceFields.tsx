import { kWeekdays } from '../api/types';
import { weekdayName } from '../i18n/format';
import { useI18n } from '../i18n/I18nContext';
import type { MeetingField, MeetingFormValues } from '../state/meeting_form';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';

// How a meeting repeats: none, daily, weekly (on ticked days) or monthly;
// every how many; until when.
export function RecurrenceFields(props: {
  values: MeetingFormValues;
  errors: Partial<Record<MeetingField, string>>;
  onChange: <K extends keyof MeetingFormValues>(name: K, value: MeetingFormValues[K]) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { values, errors } = props;
  const set = props.onChange;
  return (
    <>
      <SelectField
        id="meeting-repeat"
        label={t('schedule.repeat.label')}
        value={values.repeat}
        onValue={(v) => set('repeat', v as MeetingFormValues['repeat'])}
        options={[
          { value: 'none', label: t('schedule.repeat.none') },
          { value: 'daily', label: t('schedule.repeat.daily') },
          { value: 'weekly', label: t('schedule.repeat.weekly') },
          { value: 'monthly', label: t('schedule.repeat.monthly') },
        ]}
      />
      {values.repeat !== 'none' ? (
        <>
          <TextField
            id="meeting-interval"
            type="number"
            inputMode="numeric"
            min={1}
            max={99}
            label={t('schedule.interval.label')}
            value={values.interval}
            onValue={(v) => set('interval', v)}
            error={errors.interval}
          />
          {values.repeat === 'weekly' ? (
            <ChoiceGroup
              id="meeting-weekdays"
              legend={t('schedule.weekdays.legend')}
              type="checkbox"
              inline
              choices={kWeekdays.map((day, index) => ({ value: day, label: weekdayName(i18n.lang, index) }))}
              selected={values.weekdays}
              onChange={(chosen) => set('weekdays', chosen as MeetingFormValues['weekdays'])}
              error={errors.weekdays}
            />
          ) : null}
          <TextField
            id="meeting-until"
            type="date"
            label={t('schedule.until.label')}
            value={values.until}
            onValue={(v) => set('until', v)}
            error={errors.until}
          />
        </>
      ) : null}
    </>
  );
}
