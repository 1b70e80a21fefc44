import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSockets } from '../test/fake_socket';
import { RealtimeClient, realtimeUrl } from './realtime_client';

function setup() {
  const fake = fakeSockets();
  const client = new RealtimeClient({
    url: () => 'wss://box.example/api/v1/ws',
    createSocket: fake.createSocket,
    // No jitter: delays are exactly 1 s, 2 s, 4 s, …
    random: () => 1,
  });
  return { client, ...fake };
}

describe('RealtimeClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens one socket and is open after the hello', () => {
    const { client, sockets, last } = setup();
    client.start();
    client.start();
    expect(sockets).toHaveLength(1);
    expect(last().url).toBe('wss://box.example/api/v1/ws');
    expect(client.status.get()).toBe('connecting');
    last().accept();
    expect(client.status.get()).toBe('open');
  });

  it('hands each event to the subscribers of its type only', () => {
    const { client, last } = setup();
    const presence = vi.fn();
    const knock = vi.fn();
    client.on('presence', presence);
    const unsubscribe = client.on('knock', knock);
    client.start();
    last().accept();
    last().receive({ type: 'presence', employee_id: 'e2', presence: 'in-meeting' });
    unsubscribe();
    last().receive({ type: 'knock', knock: { id: 'k1', room_id: 'r1', employee: { id: 'e3', name: 'Иван' } } });
    expect(presence).toHaveBeenCalledWith({ type: 'presence', employee_id: 'e2', presence: 'in-meeting' });
    expect(knock).not.toHaveBeenCalled();
  });

  it('ignores messages that are not JSON objects with a type', () => {
    const { client, last } = setup();
    const any = vi.fn();
    client.on('pong', any);
    client.start();
    last().accept();
    last().receiveRaw('not json');
    last().receiveRaw('42');
    last().receiveRaw(new ArrayBuffer(2));
    last().receive({ kind: 'pong' });
    last().receive({ type: 'pong' });
    expect(any).toHaveBeenCalledTimes(1);
  });

  it('keeps dispatching when one subscriber throws', () => {
    const { client, last } = setup();
    const second = vi.fn();
    client.on('pong', () => {
      throw new Error('bug');
    });
    client.on('pong', second);
    client.start();
    last().accept();
    last().receive({ type: 'pong' });
    expect(second).toHaveBeenCalled();
    expect(() => vi.runOnlyPendingTimers()).toThrow('bug');
  });

  it('pings every 25 seconds while open', () => {
    const { client, last } = setup();
    client.start();
    last().accept();
    vi.advanceTimersByTime(24_999);
    expect(last().sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(last().sent).toEqual([{ type: 'ping' }]);
    last().receive({ type: 'pong' });
    vi.advanceTimersByTime(25_000);
    expect(last().sent).toHaveLength(2);
  });

  it('reconnects with growing delays and resets them after a hello', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().drop();
    expect(client.status.get()).toBe('waiting');
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    last().drop();
    vi.advanceTimersByTime(1999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().drop();
    vi.advanceTimersByTime(4000);
    expect(sockets).toHaveLength(4);
    last().accept();
    last().drop();
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(5);
  });

  it('caps the delay and adds jitter', () => {
    const client = new RealtimeClient({ url: () => '', createSocket: fakeSockets().createSocket, random: () => 0 });
    expect(client.retryDelayMs(0)).toBe(500);
    expect(client.retryDelayMs(3)).toBe(4000);
    expect(client.retryDelayMs(40)).toBe(15_000);
  });

  it('counts reconnections so that views reload what they missed', () => {
    const { client, last } = setup();
    const reloads = vi.fn();
    client.reconnections.subscribe(reloads);
    client.start();
    last().accept();
    expect(reloads).not.toHaveBeenCalled();
    last().drop();
    vi.advanceTimersByTime(1000);
    last().accept();
    expect(reloads).toHaveBeenCalledTimes(1);
    expect(client.reconnections.get()).toBe(1);
  });

  it('gives up on a socket that stays silent and opens another', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().accept();
    const first = last();
    // Two pings without an answer, then the check at the third.
    vi.advanceTimersByTime(75_000);
    expect(first.closed).toBe(true);
    expect(client.status.get()).toBe('waiting');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });

  it('sends only on an open socket', () => {
    const { client, last } = setup();
    expect(client.send({ type: 'ping' })).toBe(false);
    client.start();
    expect(client.send({ type: 'ping' })).toBe(false);
    last().accept();
    expect(client.send({ type: 'media.leave', meeting_id: 'm1' })).toBe(true);
    expect(last().sent).toEqual([{ type: 'media.leave', meeting_id: 'm1' }]);
  });

  it('closes the socket and stops retrying when stopped', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().accept();
    client.stop();
    expect(last().closed).toBe(true);
    expect(client.status.get()).toBe('stopped');
    vi.advanceTimersByTime(120_000);
    expect(sockets).toHaveLength(1);
  });

  it('lets a connecting socket open before closing it (no console error)', () => {
    const { client, last } = setup();
    client.start();
    client.stop();
    expect(last().closed).toBe(false);
    last().open();
    expect(last().closed).toBe(true);
  });

  it('asks before reconnecting and gives up when the session is gone', async () => {
    const fake = fakeSockets();
    let sessionAlive = true;
    const client = new RealtimeClient({
      url: () => 'wss://box.example/api/v1/ws',
      createSocket: fake.createSocket,
      random: () => 1,
      canReconnect: async () => sessionAlive,
    });
    client.start();
    fake.last().accept();
    fake.last().drop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.sockets).toHaveLength(2);
    fake.last().accept();
    sessionAlive = false;
    fake.last().drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(2);
    expect(client.status.get()).toBe('stopped');
  });

  it('retries at once when asked (the browser is online again)', () => {
    const { client, sockets, last } = setup();
    client.start();
    last().drop();
    client.retryNow();
    expect(sockets).toHaveLength(2);
  });
});

describe('realtimeUrl', () => {
  it('uses wss on https and ws on plain http', () => {
    expect(realtimeUrl({ protocol: 'https:', host: 'box.example' })).toBe('wss://box.example/api/v1/ws');
    expect(realtimeUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/api/v1/ws');
  });
});
