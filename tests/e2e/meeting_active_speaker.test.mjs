// Five people in one hall: the active-speaker highlight follows the one whose
// microphone plays speech. Chromium's fake microphone plays a file per browser
// process, so two browsers: one whose microphone plays a generated speech-like
// WAV (two people in it: Ана speaks, Борис joins with his microphone off), and
// the suite's browser, whose microphone plays silence (three listeners).
//   The others' pages highlight Ана's tile within seconds (and her own page her
//   self tile); speaker view shows her large; then Ана turns her microphone off
//   and Борис his on, and the highlight follows Борис.
// Cameras stay off (initials): the test is about audio, and the machine is small.
//
// Last-N (the server runs with media_last_n = 1): three people with cameras on,
// Ана and Борис in the speaking browser, Вера listening. Вера receives Ана's
// camera while Ана speaks, not Борис's (his tile shows initials, one video
// decoded); when Борис speaks instead, Вера receives his camera (from a fresh
// keyframe: it decodes again) and Ана's goes off stage; and back to Ана, whose
// camera resumes after its pause.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

import { assertAccessible, e2eSuite, launchChromium, tileOf, visible, waitUntil } from './harness.mjs';
import { TRACK_PEER_CONNECTIONS, clerkMeeting, decodedFrames, enterMeeting, risingStreams, signedInPages, step } from './meeting_helpers.mjs';

const kSampleRate = 48_000;

// 16-bit mono PCM WAV (RIFF) of `samples` (floats in -1..1).
function wavBytes(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(kSampleRate, 24);
  header.writeUInt32LE(kSampleRate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// Something the browser's noise suppression takes for a voice: "syllables" of
// 120–220 ms, each on its own pitch (110–260 Hz with two harmonics) under a
// smooth envelope, in "words" of three to five, with short pauses between words.
function speechLike(seconds) {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const samples = new Float32Array(seconds * kSampleRate);
  let at = 0;
  const put = (count, make) => {
    for (let i = 0; i < count && at < samples.length; i += 1) samples[at++] = make(i);
  };
  while (at < samples.length) {
    const syllables = 3 + Math.floor(random() * 3);
    for (let s = 0; s < syllables; s += 1) {
      const length = Math.floor((0.12 + random() * 0.1) * kSampleRate);
      const pitch = 110 + random() * 150;
      put(length, (i) => {
        const t = i / kSampleRate;
        const envelope = Math.sin((Math.PI * i) / length) ** 0.5;
        const phase = 2 * Math.PI * pitch * t;
        return 0.45 * envelope * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)) / 1.75;
      });
      put(Math.floor((0.03 + random() * 0.03) * kSampleRate), () => 0);
    }
    put(Math.floor((0.15 + random() * 0.15) * kSampleRate), () => 0);
  }
  return samples;
}

const audioDir = fs.mkdtempSync(path.join(os.tmpdir(), 'egovbox-speaker-'));
const speechWav = path.join(audioDir, 'speech.wav');
const silenceWav = path.join(audioDir, 'silence.wav');
fs.writeFileSync(speechWav, wavBytes(speechLike(12)));
fs.writeFileSync(silenceWav, wavBytes(new Float32Array(2 * kSampleRate)));
after(() => fs.rmSync(audioDir, { recursive: true, force: true }));

// Last-N of one (the five-person test keeps cameras off, so it is not concerned).
const suite = e2eSuite({
  env: { EGOVBOX_MEDIA_LAST_N: '1' },
  chromiumArgs: [`--use-file-for-fake-audio-capture=${silenceWav}`],
});

// How many inbound videos decoded frames over `ms`.
const decodingVideos = async (page, ms = 3000) => (await risingStreams(page, 'video', ms)).length;

async function expectTileDecoding(tile, what) {
  const first = await decodedFrames(tile);
  await waitUntil(async () => (await decodedFrames(tile)) > first + 5, { timeout: 20_000, message: `${what} decoded` });
}

const controls = (page) => page.getByRole('group', { name: 'Управление на срещата' });

// Each page in turn presses its Microphone button (one stops speaking, the next starts).
async function toggleMicrophones(...pages) {
  for (const page of pages) await controls(page).getByRole('button', { name: 'Микрофон', exact: true }).click();
}

// The names on the page's highlighted tiles (others' and its own).
const highlighted = (page) =>
  page.locator('[data-speaking="true"]').evaluateAll((tiles) => tiles.map((tile) => tile.textContent ?? ''));

// Last-N: `page` highlights `name` and decodes their camera (`camera` says whose),
// `offStage` ({name, initials}) shows initials, and one video is decoded at all.
async function expectOnStage(page, { name, camera, offStage, message }) {
  await expectHighlight(page, name);
  await expectTileDecoding(tileOf(page, name), camera);
  if (offStage) await visible(tileOf(page, offStage.name).getByText(offStage.initials, { exact: true }));
  await waitUntil(async () => (await decodingVideos(page)) === 1, { timeout: 20_000, message });
}

async function expectHighlight(page, name, { self = false, timeout = 20_000 } = {}) {
  await waitUntil(
    async () => {
      const names = await highlighted(page);
      return names.length === 1 && names[0].includes(name) && (!self || names[0].includes('Вие'));
    },
    { timeout, message: `the highlight on ${name}${self ? ' (own tile)' : ''}` },
  );
}

suite.test('the active-speaker highlight follows whoever speaks, among five', { timeout: 240_000 }, async (t) => {
  const speakingBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${speechWav}`]);
  try {
    const people = [
      suite.addEmployee({ name: 'Ана Стоянова', position: 'Председател', roles: ['employee', 'clerk'] }),
      suite.addEmployee({ name: 'Борис Колев', position: 'Член' }),
      suite.addEmployee({ name: 'Вера Николова', position: 'Член' }),
      suite.addEmployee({ name: 'Георги Тодоров', position: 'Член' }),
      suite.addEmployee({ name: 'Даниела Маринова', position: 'Секретар' }),
    ];
    const pages = await signedInPages(t, people, { pageOptions: (i) => (i < 2 ? { browser: speakingBrowser } : {}), initScripts: () => [] });
    step('signed in');

    const { meetingId } = await clerkMeeting(t, people, { title: 'Общински съвет' });

    // Each joins with the camera off; Борис with his microphone off too. Ана
    // comes first and speaks: she holds the floor before the others come, who
    // learn it on joining.
    const url = t.url(`/meetings/${meetingId}`);
    await enterMeeting(pages[0], url, { camera: false, microphone: true });
    await expectHighlight(pages[0], 'Ана Стоянова', { self: true });
    step('Ана holds the floor alone');
    for (const [i, page] of pages.entries()) {
      if (i > 0) await enterMeeting(page, url, { camera: false, microphone: i !== 1 });
    }
    for (const page of pages) {
      await waitUntil(async () => (await page.getByTestId('tile').count()) === 4, { timeout: 30_000, message: 'four remote tiles' });
    }
    step('all five in');

    // Everyone else sees her tile highlighted, she her own.
    const anaStarted = Date.now();
    for (const page of pages.slice(1)) await expectHighlight(page, 'Ана Стоянова');
    await expectHighlight(pages[0], 'Ана Стоянова', { self: true });
    step(`Ана highlighted everywhere after ${Date.now() - anaStarted} ms`);
    const anaTile = tileOf(pages[2], 'Ана Стоянова');
    assert.equal(await anaTile.getAttribute('data-speaking'), 'true');
    await visible(anaTile.getByText('говори', { exact: true }));

    // Speaker view: Ана large, the others in the strip.
    await pages[2].getByRole('button', { name: 'Изглед с говорещия', exact: true }).click();
    await visible(pages[2].getByRole('list', { name: 'На голям екран: Ана Стоянова', exact: true }));
    assert.equal(await pages[2].getByRole('list', { name: 'Участници', exact: true }).getByTestId('tile').count(), 3);
    assert.equal(await pages[2].getByRole('button', { name: 'Изглед с говорещия', exact: true }).getAttribute('aria-pressed'), 'true');
    await assertAccessible(pages[2], 'the meeting room in speaker view, with a speaker highlighted');

    // Ана stops, Борис speaks: the highlight follows.
    await toggleMicrophones(pages[0], pages[1]);
    const borisStarted = Date.now();
    for (const page of [pages[0], ...pages.slice(2)]) await expectHighlight(page, 'Борис Колев');
    await expectHighlight(pages[1], 'Борис Колев', { self: true });
    step(`Борис highlighted everywhere after ${Date.now() - borisStarted} ms`);
    await visible(pages[2].getByRole('list', { name: 'На голям екран: Борис Колев', exact: true }));
  } finally {
    await speakingBrowser.close();
  }
});

suite.test('Last-N: a listener receives the camera of the most recent speaker only', { timeout: 180_000 }, async (t) => {
  const speakingBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${speechWav}`]);
  try {
    const people = [
      suite.addEmployee({ name: 'Ана Стоянова', position: 'Председател', roles: ['employee', 'clerk'] }),
      suite.addEmployee({ name: 'Борис Колев', position: 'Член' }),
      suite.addEmployee({ name: 'Вера Николова', position: 'Член' }),
    ];
    const pages = await signedInPages(t, people, {
      pageOptions: (i) => (i < 2 ? { browser: speakingBrowser } : {}),
      initScripts: (i) => (i === 2 ? [TRACK_PEER_CONNECTIONS] : []),
    });
    const { meetingId } = await clerkMeeting(t, people, { title: 'Комисия' });
    for (const [i, page] of pages.entries()) {
      await enterMeeting(page, t.url(`/meetings/${meetingId}`), { camera: true, microphone: i !== 1 });
    }
    const vera = pages[2];
    await waitUntil(async () => (await vera.getByTestId('tile').count()) === 2, { timeout: 30_000, message: 'two remote tiles' });
    step('three in, cameras on');

    // Ана speaks: Вера decodes her camera and only hers; Борис is initials.
    await expectOnStage(vera, {
      name: 'Ана Стоянова',
      camera: 'Ана\'s camera',
      offStage: { name: 'Борис Колев', initials: 'БК' },
      message: 'one video decoded (Last-N of one)',
    });
    step('Ана on stage');

    // Борис speaks instead: his camera comes on stage for Вера, from a keyframe.
    await toggleMicrophones(pages[0], pages[1]);
    await expectOnStage(vera, {
      name: 'Борис Колев',
      camera: 'Борис\'s camera back on stage',
      offStage: { name: 'Ана Стоянова', initials: 'АС' },
      message: 'one video decoded after the switch',
    });
    step('Борис on stage');

    // Ана again: her camera resumes after its pause, the stream continued from a keyframe.
    await toggleMicrophones(pages[1], pages[0]);
    await expectOnStage(vera, { name: 'Ана Стоянова', camera: 'Ана\'s camera resumed', message: 'one video decoded after the return' });
    step('Ана back on stage');
  } finally {
    await speakingBrowser.close();
  }
});
