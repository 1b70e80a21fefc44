import { Store } from '../state/store';
import { isLang, kDefaultLang, type Lang } from './i18n';

export const kLanguageStorageKey = 'egovbox.lang';

// The chosen UI language: persisted in localStorage, mirrored on
// <html lang>, and read by the API client for Accept-Language.
export class LanguageStore extends Store<Lang> {
  private readonly storage_: Storage | null;
  private readonly root_: HTMLElement | null;

  constructor(storage: Storage | null, root: HTMLElement | null) {
    super(readStoredLang(storage));
    this.storage_ = storage;
    this.root_ = root;
    this.applyToDocument();
  }

  override set(lang: Lang): void {
    try {
      this.storage_?.setItem(kLanguageStorageKey, lang);
    } catch {
      // Private mode or a full quota: the choice then lasts for this page only.
    }
    super.set(lang);
    this.applyToDocument();
  }

  private applyToDocument(): void {
    if (this.root_) this.root_.lang = this.get();
  }
}

function readStoredLang(storage: Storage | null): Lang {
  try {
    const stored = storage?.getItem(kLanguageStorageKey);
    return isLang(stored) ? stored : kDefaultLang;
  } catch {
    return kDefaultLang;
  }
}
