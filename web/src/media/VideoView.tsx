import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useServices } from '../app/services';
import { classes } from '../ui/classes';
import styles from './Live.module.css';

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
