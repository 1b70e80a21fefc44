import { kClassifications, type Classification } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { ChoiceGroup } from '../ui/ChoiceGroup';
import { classificationText } from './document_labels';

// The classification of a document as radio buttons, each level explained
// in the help below them (the upload form and the details form).
export function ClassificationChoice(props: { name: string; value: Classification; onValue: (value: Classification) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <ChoiceGroup
      legend={t('upload.classification.legend')}
      type="radio"
      name={props.name}
      choices={kClassifications.map((value) => ({ value, label: classificationText(i18n, value) }))}
      selected={[props.value]}
      onChange={(selected) => props.onValue(selected[0] as Classification)}
      help={
        <ul>
          {kClassifications.map((value) => (
            <li key={value}>{t(`classification.${value}.help`)}</li>
          ))}
        </ul>
      }
    />
  );
}
