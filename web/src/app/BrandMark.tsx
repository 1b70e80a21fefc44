// The product mark: a civic building (pediment and columns) on the primary
// blue. Decorative: the product name always stands beside it.
export function BrandMark(props: { class?: string }) {
  return (
    <svg class={props.class} viewBox="0 0 48 48" aria-hidden="true" focusable="false">
      <rect width="48" height="48" rx="10" fill="#1d3f72" />
      <path d="M24 9 38 17H10Z" fill="#fff" />
      <rect x="10" y="18.5" width="28" height="2.5" fill="#fff" />
      <rect x="12.5" y="22.5" width="4" height="12" fill="#fff" />
      <rect x="19" y="22.5" width="4" height="12" fill="#fff" />
      <rect x="25" y="22.5" width="4" height="12" fill="#fff" />
      <rect x="31.5" y="22.5" width="4" height="12" fill="#fff" />
      <rect x="9" y="36" width="30" height="3" fill="#fff" />
    </svg>
  );
}
