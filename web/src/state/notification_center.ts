import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import { sameId, type AppNotification, type Id } from '../api/types';
import { translate, type Lang } from '../i18n/i18n';
import { notificationTarget, notificationText } from './notification_text';
import type { Announcer } from './announcer';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

export const kNotificationPageSize = 50;

export interface NotificationState {
  status: 'idle' | 'loading' | 'loaded' | 'error';
  items: AppNotification[]; // newest first
  unread: number;
  hasMore: boolean;
  error: ApiError | null;
}

export type BrowserPermission = NotificationPermission | 'unsupported';

// The browser's Notification API, behind an interface for the tests.
export interface BrowserNotifier {
  permission(): BrowserPermission;
  request(): Promise<BrowserPermission>;
  show(options: { title: string; body: string; tag: string; onClick: () => void }): void;
}

const kEmpty: NotificationState = { status: 'idle', items: [], unread: 0, hasMore: false, error: null };

// The person's notifications: the list (loaded over REST, newest first), the
// unread count, and live arrivals from the WebSocket. A live arrival is also
// shown as a browser notification when the person has allowed them (the
// permission is asked only when they press the button). `latest` is the last
// live arrival, for the page's live region.
export class NotificationCenter {
  readonly state = new Store<NotificationState>(kEmpty);
  readonly latest = new Store<AppNotification | null>(null);
  readonly permission: Store<BrowserPermission>;
  // Counts the calls of load(); only the latest one's answer is kept.
  private loads_ = 0;

  constructor(
    private readonly api: EgovboxApi,
    realtime: RealtimeClient,
    private readonly options: {
      language: () => Lang;
      navigate: (path: string) => void;
      browser: BrowserNotifier;
      announcer: Announcer;
    },
  ) {
    this.permission = new Store(options.browser.permission());
    // Every connection, the first one and each after a loss, starts with
    // `hello` (without the unread count): the list and the count are read
    // then, so that nothing that came while no socket was open is missed.
    realtime.on('hello', () => void this.load());
    realtime.on('notification', (event) => this.arrive(event.notification, event.unread));
    // No socket at all (a proxy that refuses WebSockets, say): still show
    // the count.
    realtime.status.subscribe(() => {
      if (realtime.status.get() === 'waiting' && this.state.get().status === 'idle') void this.load();
    });
  }

  async load(): Promise<void> {
    const generation = ++this.loads_;
    this.patch({ status: 'loading', error: null });
    try {
      const page = await this.api.listNotifications({ limit: kNotificationPageSize });
      // An older request that answers late must not undo a newer one.
      if (generation !== this.loads_) return;
      this.state.set({
        status: 'loaded',
        items: page.notifications,
        unread: page.unread,
        hasMore: page.notifications.length >= kNotificationPageSize,
        error: null,
      });
    } catch (error) {
      if (generation === this.loads_) this.patch({ status: 'error', error: asApiError(error) });
    }
  }

  async loadMore(): Promise<void> {
    const { items } = this.state.get();
    const last = items[items.length - 1];
    if (!last) return this.load();
    const page = await this.api.listNotifications({ limit: kNotificationPageSize, before: last.id });
    const known = new Set(this.state.get().items.map((n) => String(n.id)));
    this.patch({
      items: [...this.state.get().items, ...page.notifications.filter((n) => !known.has(String(n.id)))],
      unread: page.unread,
      hasMore: page.notifications.length >= kNotificationPageSize,
    });
  }

  async markRead(id: Id): Promise<void> {
    await this.api.markNotificationRead(id);
    const { items, unread } = this.state.get();
    const target = items.find((n) => sameId(n.id, id));
    this.patch({
      items: items.map((n) => (sameId(n.id, id) ? { ...n, read: true } : n)),
      unread: target && !target.read ? Math.max(0, unread - 1) : unread,
    });
  }

  async markAllRead(): Promise<void> {
    await this.api.markAllNotificationsRead();
    this.patch({ items: this.state.get().items.map((n) => ({ ...n, read: true })), unread: 0 });
  }

  // Asks the browser, only ever from a button press.
  async requestPermission(): Promise<void> {
    this.permission.set(await this.options.browser.request());
  }

  reset(): void {
    this.loads_ += 1;
    this.state.set(kEmpty);
    this.latest.set(null);
  }

  private arrive(notification: AppNotification, reported: number | undefined): void {
    const { items } = this.state.get();
    const unread = typeof reported === 'number' ? reported : this.state.get().unread + 1;
    if (!items.some((n) => sameId(n.id, notification.id))) {
      this.patch({ items: [notification, ...items], unread });
    } else {
      this.patch({ unread });
    }
    this.latest.set(notification);
    this.options.announcer.say((lang) =>
      translate(lang, 'notifications.announce', { text: notificationText(lang, notification) }),
    );
    this.showInBrowser(notification);
  }

  private showInBrowser(notification: AppNotification): void {
    if (this.options.browser.permission() !== 'granted') return;
    const lang = this.options.language();
    const target = notificationTarget(notification);
    this.options.browser.show({
      title: translate(lang, 'app.name'),
      body: notificationText(lang, notification),
      // Every open tab gets the same event; one tag shows it once.
      tag: `egovbox-notification-${String(notification.id)}`,
      onClick: () => {
        if (target) this.options.navigate(target);
      },
    });
  }

  private patch(fields: Partial<NotificationState>): void {
    this.state.set({ ...this.state.get(), ...fields });
  }
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : networkError();
}

// The real browser API (absent in some browsers and in insecure contexts).
export function windowNotifier(win: Window & typeof globalThis): BrowserNotifier {
  const api = 'Notification' in win ? win.Notification : null;
  return {
    permission: () => (api ? api.permission : 'unsupported'),
    request: async () => (api ? api.requestPermission() : 'unsupported'),
    show: ({ title, body, tag, onClick }) => {
      if (!api) return;
      try {
        const shown = new api(title, { body, tag, icon: '/icons/icon-192.png', lang: win.document.documentElement.lang });
        shown.onclick = () => {
          win.focus();
          onClick();
          shown.close();
        };
      } catch {
        // Some mobile browsers allow notifications only from a service worker.
      }
    },
  };
}
