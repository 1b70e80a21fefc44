import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useServices } from '../app/services';
import { classes } from '../ui/classes';
import styles from './Live.module.css';

// The largest device-pixel ratio counted: beyond it no encoding gets sharper.
const kMaxPixelRatio = 3;

// A tile's size in device pixels, which the server compares with the encodings'
// widths and heights: CSS pixels times the device-pixel ratio (at most 3; 1 when
// unknown), rounded.
export function devicePixelSize(
  css: { width: number; height: number },
  ratio: number | undefined,
): { width: number; height: number } {
  const scale = ratio !== undefined && Number.isFinite(ratio) && ratio > 0 ? Math.min(ratio, kMaxPixelRatio) : 1;
  return { width: Math.round(css.width * scale), height: Math.round(css.height * scale) };
}

// A muted, inline, autoplaying <video> showing a stream (or one track). The
// element stays when there is nothing to show (it is hidden then), so that
// tests and the browser keep one element per tile. Sound is played by
// <audio> elements of its own.
export function VideoView(props: {
  stream?: MediaStream | null;
  track?: MediaStreamTrack | null;
  mirrored?: boolean;
  // For a video that means something on its own (the pre-join preview);
  // otherwise it is hidden from screen readers (the tile has the words).
  label?: string;
  // Told the element's size in device pixels (devicePixelSize) as it changes,
  // and null when it goes (simulcast: the server picks the encoding that fits
  // the tile).
  onSize?: (size: { width: number; height: number } | null) => void;
}) {
  const { media } = useServices();
  const element = useRef<HTMLVideoElement>(null);
  const fromTrack = useMemo(() => {
    if (!props.track) return null;
    try {
      return media.env.createStream([props.track]);
    } catch {
      return null;
    }
  }, [props.track]);
  const stream = props.stream ?? fromTrack;
  const onSize = useRef(props.onSize);
  onSize.current = props.onSize;
  const reportsSize = props.onSize !== undefined;

  useEffect(() => {
    const video = element.current;
    if (!video || !reportsSize) return;
    const measure = () =>
      onSize.current?.(
        devicePixelSize({ width: video.clientWidth, height: video.clientHeight }, window.devicePixelRatio),
      );
    measure();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    observer?.observe(video);
    return () => {
      observer?.disconnect();
      onSize.current?.(null);
    };
  }, [reportsSize]);

  useEffect(() => {
    const video = element.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (stream && typeof video.play === 'function') {
      // Muted video may autoplay; a refusal only leaves the frame still.
      void Promise.resolve(video.play()).catch(() => undefined);
    }
  }, [stream]);

  return (
    <video
      ref={element}
      class={classes(styles.video, props.mirrored && styles.mirrored, !stream && styles.videoOff)}
      autoplay
      playsInline
      muted
      aria-label={props.label}
      aria-hidden={props.label ? undefined : 'true'}
    />
  );
}

// Plays one remote microphone.
export function AudioView(props: { stream: MediaStream }) {
  const element = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = element.current;
    if (!audio) return;
    if (audio.srcObject !== props.stream) audio.srcObject = props.stream;
    if (typeof audio.play === 'function') void Promise.resolve(audio.play()).catch(() => undefined);
  }, [props.stream]);
  return <audio ref={element} autoplay />;
}
