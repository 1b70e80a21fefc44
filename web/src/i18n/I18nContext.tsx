import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo } from 'preact/hooks';
import { useStore } from '../app/use_store';
import {
  formatDateTime,
  formatFileSize,
  formatList,
  formatPercent,
  formatPlainDate,
  formatSeconds,
  formatTime,
  formatTimeRange,
  formatWait,
} from './format';
import {
  translate,
  translateDynamic,
  translatePlural,
  type Lang,
  type MessageKey,
  type Params,
  type PluralKey,
} from './i18n';
import type { LanguageStore } from './language';

export interface I18n {
  lang: Lang;
  t: (key: MessageKey, params?: Params) => string;
  tp: (key: PluralKey, count: number, params?: Params) => string;
  // A key built at run time (e.g. from a server slug); null when unknown.
  td: (key: string, params?: Params) => string | null;
  dateTime: (iso: string) => string;
  wait: (seconds: number) => string;
  // Europe/Sofia: "09:30"; "4 май 2026 г., 10:00 – 11:00".
  time: (iso: string) => string;
  timeRange: (startIso: string, endIso: string) => string;
  // A plain date "2026-05-04".
  date: (date: string, style?: 'weekday' | 'long' | 'short') => string;
  list: (items: string[]) => string;
  // "1 ден", "2 часа и 15 минути".
  seconds: (seconds: number) => string;
  // "1,5 МБ", "1.5 MB".
  fileSize: (bytes: number) => string;
  // "45%" for 0.45.
  percent: (fraction: number) => string;
  setLang: (lang: Lang) => void;
}

export function createI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    tp: (key, count, params) => translatePlural(lang, key, count, params),
    td: (key, params) => translateDynamic(lang, key, params),
    dateTime: (iso) => formatDateTime(lang, iso),
    wait: (seconds) => formatWait(lang, seconds),
    time: (iso) => formatTime(lang, iso),
    timeRange: (start, end) => formatTimeRange(lang, start, end),
    date: (date, style) => formatPlainDate(lang, date, style),
    list: (items) => formatList(lang, items),
    seconds: (seconds) => formatSeconds(lang, seconds),
    fileSize: (bytes) => formatFileSize(lang, bytes),
    percent: (fraction) => formatPercent(lang, fraction),
    setLang,
  };
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider(props: { store: LanguageStore; children: ComponentChildren }) {
  const { store } = props;
  const lang = useStore(store);
  const value = useMemo(() => createI18n(lang, (next) => store.set(next)), [lang, store]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() outside <I18nProvider>');
  return value;
}
