import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { MediaParticipant } from '../api/realtime_types';
import { App } from '../app/App';
import type { FakeDevicesOptions } from '../test/fake_webrtc';
import { fakeSdp } from '../test/fake_webrtc';
import { kMe, kSignedIn, makeServices, problem, type FakeRoute } from '../test/harness';
import { meetingAt } from '../test/meeting_fixtures';
import { kDevicePrefsKey } from './devices';

afterEach(cleanup);

const kTicket = { meeting_id: 'm1', capability: 'v1.cap.mac', expires_at: '2099-01-01T00:00:00Z' };

const kIvan: MediaParticipant = {
  participant_id: 'p2',
  employee_id: 'e2',
  name: 'Иван Петров',
  tracks: [
    { track_id: 't1', kind: 'audio', source: 'microphone', muted: true },
    { track_id: 't2', kind: 'video', source: 'camera', muted: false },
  ],
};

async function setup(
  routes: Record<string, FakeRoute> = {},
  options: { lang?: 'bg' | 'en'; devices?: FakeDevicesOptions } = {},
) {
  const harness = makeServices(
    {
      'GET /session': kSignedIn,
      'GET /me': { body: kMe },
      'GET /meetings/m1': { body: meetingAt(-5) },
      'GET /meetings/m1/documents': { body: { documents: [] } },
      'GET /meetings/m1/chat': { body: { messages: [] } },
      'POST /meetings/m1/join': { body: kTicket },
      'POST /meetings/m1/leave': { status: 204 },
      ...routes,
    },
    { path: '/meetings/m1/live', live: true, lang: options.lang, devices: options.devices },
  );
  harness.render(<App />);
  await harness.services.session.start();
  harness.sockets.last().accept();
  await screen.findByRole('heading', { level: 1, name: 'Оперативка' });
  return harness;
}

type Harness = Awaited<ReturnType<typeof setup>>;
const sentOfType = (harness: Harness, type: string) =>
  harness.sockets.last().sent.filter((m) => (m as { type: string }).type === type) as Array<Record<string, unknown>>;

// Pre-join → Join → media.joined: in the room.
async function enterRoom(harness: Harness, participants: MediaParticipant[] = [kIvan]) {
  fireEvent.click(await screen.findByRole('button', { name: 'Влизане в срещата' }));
  await waitFor(() => expect(sentOfType(harness, 'media.join')).toHaveLength(1));
  harness.sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants });
  await screen.findByRole('group', { name: 'Управление на срещата' });
  await waitFor(() => expect(sentOfType(harness, 'media.publish')).toHaveLength(1));
  // The room's effects have run (they ask for the chat): the shortcuts listen.
  await waitFor(() => expect(harness.calls.some((c) => c.path === '/meetings/m1/chat')).toBe(true));
}

function subscribeOffer(harness: Harness, version: number, tracks: Array<{ mid: string; participant: string; source: 'microphone' | 'camera' | 'screen' }>) {
  const sections = tracks.map((t) => ({ mid: t.mid, kind: t.source === 'microphone' ? ('audio' as const) : ('video' as const) }));
  harness.sockets.last().receive({
    type: 'media.subscribe.offer',
    meeting_id: 'm1',
    version,
    sdp: fakeSdp('server', sections),
    tracks: tracks.map((t, i) => ({ mid: t.mid, participant_id: t.participant, track_id: `s${i}`, kind: sections[i].kind, source: t.source })),
  });
}

const liveRegion = () => screen.getByTestId('live-region').textContent;

describe('the pre-join screen', () => {
  it('shows the camera preview, the device choice and the microphone level, in Bulgarian', async () => {
    const { webrtc } = await setup();
    expect(screen.getByText('Проверете камерата и микрофона, преди да влезете.')).toBeTruthy();
    const microphone = screen.getByRole('button', { name: 'Микрофон' });
    expect(microphone.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'Камера' }).getAttribute('aria-pressed')).toBe('true');
    const cameras = (await screen.findByRole('combobox', { name: 'Коя камера' })) as HTMLSelectElement;
    expect([...cameras.options].map((o) => o.textContent)).toEqual(['По подразбиране', 'Камера A', 'Камера B']);
    expect(cameras.value).toBe('cam-1');
    expect(screen.getByRole('combobox', { name: 'Кой микрофон' })).toBeTruthy();
    const meter = screen.getByLabelText('Ниво на микрофона');
    expect(meter.tagName).toBe('METER');
    const preview = screen.getByTestId('prejoin-preview').querySelector('video')!;
    expect(preview.getAttribute('aria-label')).toBe('Преглед от камерата');
    await waitFor(() => expect((preview.srcObject as MediaStream | null)?.getVideoTracks()).toEqual([webrtc.opened.find((t) => t.kind === 'video')]));
    expect(screen.getByRole('link', { name: 'Към страницата на срещата' }).getAttribute('href')).toBe('/meetings/m1');
    expect(screen.getByRole('button', { name: 'Влизане в срещата' })).toBeTruthy();
  });

  it('is in English too', async () => {
    await setup({}, { lang: 'en' });
    expect(screen.getByText('Check your camera and microphone before you join.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Microphone' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Camera' })).toBeTruthy();
    await screen.findByRole('combobox', { name: 'Which camera' });
    expect(screen.getByRole('combobox', { name: 'Which microphone' })).toBeTruthy();
    expect(screen.getByLabelText('Microphone level')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Join the meeting' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to the meeting page' })).toBeTruthy();
  });

  it('remembers the chosen camera and turning it off, and stops the camera then', async () => {
    const { webrtc } = await setup();
    const cameras = await screen.findByRole('combobox', { name: 'Коя камера' });
    fireEvent.change(cameras, { target: { value: 'cam-2' } });
    await waitFor(() => expect(webrtc.opened.at(-1)?.deviceId).toBe('cam-2'));
    expect(JSON.parse(window.localStorage.getItem(kDevicePrefsKey)!)).toMatchObject({ cameraId: 'cam-2', cameraOn: true });
    fireEvent.click(screen.getByRole('button', { name: 'Камера' }));
    expect(screen.getByRole('button', { name: 'Камера' }).getAttribute('aria-pressed')).toBe('false');
    expect(webrtc.opened.filter((t) => t.kind === 'video').every((t) => t.readyState === 'ended')).toBe(true);
    expect(JSON.parse(window.localStorage.getItem(kDevicePrefsKey)!).cameraOn).toBe(false);
    expect(screen.getByText('Камерата е изключена.')).toBeTruthy();
  });

  it('explains a refused permission in both languages and lets one join without devices', async () => {
    const harness = await setup({}, { devices: { fail: 'NotAllowedError' } });
    await screen.findByText(/Браузърът няма разрешение да ползва камерата и микрофона\./);
    expect(screen.getByRole('button', { name: 'Опитайте отново' })).toBeTruthy();
    harness.language.set('en');
    await screen.findByText(/The browser is not allowed to use your camera and microphone\./);
    harness.language.set('bg');
    await enterRoom(harness);
    const [publish] = sentOfType(harness, 'media.publish');
    expect(publish.tracks).toEqual([
      { mid: '0', source: 'microphone', muted: true },
      { mid: '1', source: 'camera', muted: true },
    ]);
    expect(screen.getByRole('button', { name: 'Микрофон' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('says why the server refused the pass', async () => {
    const harness = await setup({}, { lang: 'en' });
    fireEvent.click(await screen.findByRole('button', { name: 'Join the meeting' }));
    await waitFor(() => expect(sentOfType(harness, 'media.join')).toHaveLength(1));
    harness.sockets.last().receive({ type: 'media.refused', meeting_id: 'm1', reason: 'expired' });
    await screen.findByText('The pass for the meeting has expired. Try again.');
    expect(screen.getByRole('button', { name: 'Join the meeting' })).toBeTruthy();
  });
});

describe('the meeting room', () => {
  it('joins with the devices of the pre-join screen and shows a tile per person', async () => {
    const harness = await setup();
    await screen.findByRole('combobox', { name: 'Коя камера' });
    const [microphone, camera] = harness.webrtc.opened;
    await enterRoom(harness);
    expect(harness.calls.find((c) => c.path === '/meetings/m1/join')?.headers.get('X-CSRF-Token')).toBe('csrf-1');
    const pc = harness.webrtc.connections[0];
    expect(pc.transceivers.map((t) => t.sender.track)).toEqual([microphone, camera]);
    const self = screen.getByTestId('self-tile');
    expect(self.textContent).toContain('Вие (Мария Иванова)');
    const [ivan] = screen.getAllByTestId('tile');
    expect(ivan.getAttribute('data-participant-id')).toBe('p2');
    expect(ivan.getAttribute('data-source')).toBe('camera');
    expect(ivan.textContent).toContain('Иван Петров');
    expect(ivan.textContent).toContain('микрофонът е изключен');
    expect(ivan.querySelector('video')).toBeTruthy();
    // The video arrives with the subscribe offer.
    subscribeOffer(harness, 1, [
      { mid: '0', participant: 'p2', source: 'microphone' },
      { mid: '1', participant: 'p2', source: 'camera' },
    ]);
    await waitFor(() => expect(sentOfType(harness, 'media.subscribe.answer')).toHaveLength(1));
    expect(sentOfType(harness, 'media.subscribe.answer')[0].version).toBe(1);
    const sub = harness.webrtc.connections[1];
    const cameraTrack = sub.transceivers.find((t) => t.mid === '1')!.receiver.track;
    await waitFor(() => {
      const video = screen.getAllByTestId('tile')[0].querySelector('video')!;
      expect((video.srcObject as MediaStream | null)?.getVideoTracks()).toEqual([cameraTrack]);
    });
    // Their microphone plays through an <audio> of its own.
    expect(document.querySelectorAll('audio')).toHaveLength(1);
  });

  it('turns the microphone and the camera off and on with Alt+M and Alt+C, and says so', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'media.publish.answer', meeting_id: 'm1', sdp: 'answer' });
    const microphone = screen.getByRole('button', { name: 'Микрофон' });
    expect(microphone.getAttribute('aria-keyshortcuts')).toBe('Alt+M');
    fireEvent.keyDown(document.body, { key: 'm', code: 'KeyM', altKey: true });
    await waitFor(() => expect(microphone.getAttribute('aria-pressed')).toBe('false'));
    expect(liveRegion()).toBe('Микрофонът е изключен.');
    expect(sentOfType(harness, 'media.mute').at(-1)).toEqual({ type: 'media.mute', meeting_id: 'm1', source: 'microphone', muted: true });
    fireEvent.keyDown(document.body, { key: 'c', code: 'KeyC', altKey: true });
    const camera = screen.getByRole('button', { name: 'Камера' });
    await waitFor(() => expect(camera.getAttribute('aria-pressed')).toBe('false'));
    expect(liveRegion()).toBe('Камерата е изключена.');
    // The buttons do the same.
    fireEvent.click(microphone);
    await waitFor(() => expect(liveRegion()).toBe('Микрофонът е включен.'));
    expect(screen.getByText('Бързи клавиши: Alt+M включва и изключва микрофона, Alt+C — камерата.')).toBeTruthy();
  });

  it('announces people joining and leaving, and takes the tiles of one who left away', async () => {
    const harness = await setup();
    await enterRoom(harness, []);
    expect(screen.getByText('Засега сте сами в срещата.')).toBeTruthy();
    harness.sockets.last().receive({ type: 'media.participant.joined', meeting_id: 'm1', participant: kIvan });
    await waitFor(() => expect(screen.getAllByTestId('tile')).toHaveLength(1));
    expect(liveRegion()).toBe('Иван Петров влезе в срещата.');
    harness.sockets.last().receive({ type: 'media.participant.left', meeting_id: 'm1', participant_id: 'p2' });
    await waitFor(() => expect(screen.queryAllByTestId('tile')).toHaveLength(0));
    expect(liveRegion()).toBe('Иван Петров излезе от срещата.');
  });

  it('shows a shared screen large, with the cameras in a strip', async () => {
    const harness = await setup();
    await enterRoom(harness);
    subscribeOffer(harness, 1, [
      { mid: '0', participant: 'p2', source: 'camera' },
      { mid: '1', participant: 'p2', source: 'screen' },
    ]);
    await waitFor(() => expect(screen.getAllByTestId('tile')).toHaveLength(2));
    const stage = screen.getByRole('list', { name: 'Екранът на Иван Петров' });
    const screenTile = within(stage).getByTestId('tile');
    expect(screenTile.getAttribute('data-source')).toBe('screen');
    expect(screenTile.getAttribute('data-participant-id')).toBe('p2');
    const strip = screen.getByRole('list', { name: 'Участници' });
    expect(within(strip).getAllByTestId('tile').map((tile) => tile.getAttribute('data-source'))).toEqual(['camera']);
  });

  it('shares the screen (getDisplayMedia) and stops', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'media.publish.answer', meeting_id: 'm1', sdp: 'answer' });
    const share = screen.getByRole('button', { name: 'Споделяне на екрана' });
    fireEvent.click(share);
    await waitFor(() => expect(share.getAttribute('aria-pressed')).toBe('true'));
    await waitFor(() => expect(sentOfType(harness, 'media.publish')).toHaveLength(2));
    expect((sentOfType(harness, 'media.publish')[1].tracks as Array<{ source: string }>).map((t) => t.source)).toEqual([
      'microphone',
      'camera',
      'screen',
    ]);
    expect(liveRegion()).toBe('Споделяте екрана си.');
    fireEvent.click(share);
    await waitFor(() => expect(share.getAttribute('aria-pressed')).toBe('false'));
  });

  it('leaves: media.leave, both connections closed, camera and microphone stopped', async () => {
    const harness = await setup();
    await enterRoom(harness);
    subscribeOffer(harness, 1, [{ mid: '0', participant: 'p2', source: 'camera' }]);
    await waitFor(() => expect(harness.webrtc.connections).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Излизане от срещата' }));
    await screen.findByText('Излязохте от срещата.');
    expect(sentOfType(harness, 'media.leave')).toEqual([{ type: 'media.leave', meeting_id: 'm1' }]);
    expect(harness.webrtc.connections.every((pc) => pc.closed)).toBe(true);
    expect(harness.webrtc.opened.every((t) => t.readyState === 'ended')).toBe(true);
    await waitFor(() => expect(harness.calls.some((c) => c.method === 'POST' && c.path === '/meetings/m1/leave')).toBe(true));
    // Back in through the pre-join screen.
    fireEvent.click(screen.getByRole('button', { name: 'Обратно в срещата' }));
    await screen.findByRole('button', { name: 'Влизане в срещата' });
  });

  it('leaves the meeting when the person goes to another page', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.services.router.navigate('/meetings');
    await waitFor(() => expect(sentOfType(harness, 'media.leave')).toHaveLength(1));
    expect(harness.webrtc.connections[0].closed).toBe(true);
  });

  it('says the connection is lost and rejoins with a fresh pass', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.webrtc.connections[0].setConnectionState('failed');
    await screen.findByText('Връзката със срещата е загубена.');
    fireEvent.click(screen.getByRole('button', { name: 'Повторно влизане' }));
    await waitFor(() => expect(sentOfType(harness, 'media.join')).toHaveLength(2));
    expect(sentOfType(harness, 'media.leave')).toHaveLength(1);
    expect(harness.calls.filter((c) => c.path === '/meetings/m1/join')).toHaveLength(2);
    harness.sockets.last().receive({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p3', participants: [kIvan] });
    await waitFor(() => expect(sentOfType(harness, 'media.publish')).toHaveLength(2));
    expect(harness.webrtc.connections[0].closed).toBe(true);
    // The same microphone goes on.
    expect(harness.webrtc.connections.at(-1)!.transceivers[0].sender.track).toBe(harness.webrtc.opened[0]);
    await waitFor(() => expect(screen.queryByText('Връзката със срещата е загубена.')).toBeNull());
  });

  it('shows a media.error of the server', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'media.error', meeting_id: 'm1', request: 'media.mute', code: 'no-track', detail: 'no such track' });
    await screen.findByText('Сървърът не изпълни заявката (no-track): no such track');
  });
});

describe('the chat of the room', () => {
  const message = (id: string, author: string, text: string, at: string) => ({
    id,
    meeting_id: 'm1',
    author_id: author === 'Мария Иванова' ? 'u1' : 'e2',
    author_name: author,
    text,
    sent_at: at,
  });

  it('shows the history, sends a message and shows live ones', async () => {
    const harness = await setup({
      'GET /meetings/m1/chat': { body: { messages: [message('c1', 'Иван Петров', 'Добро утро', '2026-03-02T08:00:00Z')] } },
      'POST /meetings/m1/chat': (request) => ({
        status: 201,
        body: message('c2', 'Мария Иванова', (request.body as { text: string }).text, '2026-03-02T08:01:00Z'),
      }),
    });
    await enterRoom(harness);
    const chatButton = screen.getByRole('button', { name: 'Чат' });
    expect(chatButton.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(chatButton);
    const box = await screen.findByRole('textbox', { name: 'Съобщение' });
    expect(document.activeElement).toBe(box);
    const log = screen.getByTestId('chat-log');
    expect(log.getAttribute('role')).toBe('log');
    await waitFor(() => expect(log.textContent).toContain('Добро утро'));
    fireEvent.input(box, { target: { value: '  Здравейте!  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Изпращане' }));
    await waitFor(() => expect(log.textContent).toContain('Здравейте!'));
    const post = harness.calls.find((c) => c.method === 'POST' && c.path === '/meetings/m1/chat')!;
    expect(post.body).toEqual({ text: 'Здравейте!' });
    expect(post.headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect((box as HTMLInputElement).value).toBe('');
    // The same message over the WebSocket is not shown twice; a new one is.
    harness.sockets.last().receive({ type: 'meeting.chat', meeting_id: 'm1', message: message('c2', 'Мария Иванова', 'Здравейте!', '2026-03-02T08:01:00Z') });
    harness.sockets.last().receive({ type: 'meeting.chat', meeting_id: 'm1', message: message('c3', 'Иван Петров', 'Започваме ли?', '2026-03-02T08:02:00Z') });
    await waitFor(() => expect(screen.getAllByTestId('chat-message')).toHaveLength(3));
    expect(screen.getAllByTestId('chat-message').map((li) => li.querySelector('p:last-child')?.textContent)).toEqual([
      'Добро утро',
      'Здравейте!',
      'Започваме ли?',
    ]);
    // The documents of the meeting are in the panel too.
    expect(screen.getByRole('heading', { level: 2, name: 'Документи' })).toBeTruthy();
    // Escape closes the panel and gives focus back to the Chat button.
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('chat-log')).toBeNull());
    expect(document.activeElement).toBe(chatButton);
  });

  it('counts and reads out messages from others while the chat is closed', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'meeting.chat', meeting_id: 'm1', message: message('c9', 'Иван Петров', 'Чувате ли ме?', '2026-03-02T08:03:00Z') });
    await waitFor(() => expect(liveRegion()).toBe('Ново съобщение от Иван Петров: Чувате ли ме?'));
    const chatButton = screen.getByRole('button', { name: 'Чат' });
    await waitFor(() => expect(chatButton.textContent).toBe('Чат1'));
    expect(document.getElementById(chatButton.getAttribute('aria-describedby')!)?.textContent).toBe('1 непрочетено');
    fireEvent.click(chatButton);
    await waitFor(() => expect(screen.getByTestId('chat-log').textContent).toContain('Чувате ли ме?'));
    await waitFor(() => expect(chatButton.hasAttribute('aria-describedby')).toBe(false));
  });

  it('asks for some text before sending', async () => {
    const harness = await setup();
    await enterRoom(harness);
    fireEvent.click(screen.getByRole('button', { name: 'Чат' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Изпращане' }));
    await screen.findByText('Напишете съобщение.');
    expect(harness.calls.some((c) => c.method === 'POST' && c.path === '/meetings/m1/chat')).toBe(false);
  });
});

describe('host controls in the room', () => {
  it('turns the microphone off when a host muted it, and says so', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'media.muted.by.host', meeting_id: 'm1', source: 'microphone' });
    await screen.findByText('Домакинът изключи микрофона ви. Можете да го включите отново сами.');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Микрофон' }).getAttribute('aria-pressed')).toBe('false'));
  });

  it('raises a hand over the WebSocket and lists the participants', async () => {
    const harness = await setup();
    await enterRoom(harness);
    fireEvent.click(screen.getByRole('button', { name: 'Вдигане на ръка' }));
    expect(sentOfType(harness, 'media.hand')).toEqual([{ type: 'media.hand', meeting_id: 'm1', raised: true }]);
    harness.sockets.last().receive({ type: 'media.hands', meeting_id: 'm1', hands: [{ participant_id: 'p1', employee_id: kMe.id, raised_at: '2026-11-28T10:00:00Z' }] });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Вдигане на ръка' }).getAttribute('aria-pressed')).toBe('true'));
    fireEvent.click(screen.getByRole('button', { name: 'Участници' }));
    const list = await screen.findByTestId('participant-list');
    expect(within(list).getAllByTestId('participant')).toHaveLength(2);
    expect(list.textContent).toContain('вдигната ръка, 1. по ред');
  });

  it('says that a host removed one, or ended the meeting', async () => {
    const harness = await setup();
    await enterRoom(harness);
    harness.sockets.last().receive({ type: 'media.left', meeting_id: 'm1', reason: 'removed' });
    await screen.findByText('Домакинът ви отстрани от срещата.');
  });

  it('sends an invitee of a hall with a lobby to knock', async () => {
    await setup({ 'POST /meetings/m1/join': problem('knock-required', 403) });
    fireEvent.click(await screen.findByRole('button', { name: 'Влизане в срещата' }));
    await screen.findByText('Срещата има преддверие. Почукайте и домакинът ще реши дали да ви допусне.');
    expect(screen.getByRole('link', { name: 'Почукване' }).getAttribute('href')).toMatch(/^\/rooms\//);
  });
});
