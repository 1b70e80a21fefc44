// Joins the truthy class names: classes(styles.a, busy && styles.b).
export function classes(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
