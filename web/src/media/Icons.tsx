import type { ComponentChildren } from 'preact';

// The toolbar's icons: decorative (aria-hidden), drawn with currentColor so
// that they follow the button's colour and Windows high-contrast themes.
function Icon(props: { children: ComponentChildren; class?: string }) {
  return (
    <svg
      class={props.class}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

const kSlash = <path d="M4 4l16 16" />;

export function MicrophoneIcon(props: { off?: boolean; class?: string }) {
  return (
    <Icon class={props.class}>
      <path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z" />
      <path d="M5 11a7 7 0 0 0 14 0M12 18v3M8 21h8" />
      {props.off ? kSlash : null}
    </Icon>
  );
}

export function CameraIcon(props: { off?: boolean }) {
  return (
    <Icon>
      <rect x="3" y="6" width="13" height="12" rx="2" />
      <path d="M16 10l5-3v10l-5-3z" />
      {props.off ? kSlash : null}
    </Icon>
  );
}

export function ScreenIcon() {
  return (
    <Icon>
      <rect x="3" y="4" width="18" height="12" rx="2" />
      <path d="M8 20h8M12 16v4" />
    </Icon>
  );
}

export function ChatIcon() {
  return (
    <Icon>
      <path d="M4 5h16v11H9l-5 4z" />
    </Icon>
  );
}

export function LeaveIcon() {
  return (
    <Icon>
      <path d="M10 4H5v16h5M14 8l4 4-4 4M18 12H9" />
    </Icon>
  );
}

// Speaker view: one large picture over a strip of small ones.
export function SpeakerViewIcon() {
  return (
    <Icon>
      <rect x="3" y="3" width="18" height="12" rx="2" />
      <path d="M3 19h4M10 19h4M17 19h4" />
    </Icon>
  );
}

// A raised hand, for the participants list and the toolbar.
export function HandIcon(props: { class?: string }) {
  return (
    <Icon class={props.class}>
      <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12m0-6.5v-2a1.5 1.5 0 0 1 3 0V12m0-6.5a1.5 1.5 0 0 1 3 0V12m0-4a1.5 1.5 0 0 1 3 0v6a7 7 0 0 1-7 7h-1a7 7 0 0 1-5.6-2.8L3.5 15a1.5 1.5 0 0 1 2.4-1.8L8 15" />
    </Icon>
  );
}

// The participants panel: two people.
export function PeopleIcon() {
  return (
    <Icon>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20a6.5 6.5 0 0 1 13 0" />
      <path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6.5 6.5 0 0 1 3.5 6" />
    </Icon>
  );
}
