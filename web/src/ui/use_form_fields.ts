import { createRef, type ComponentChildren, type RefObject } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';

export type FieldErrors<Name extends string> = Partial<Record<Name, ComponentChildren>>;

// What a <TextField> needs to show one field: spread it into the element.
export interface FieldBinding {
  value: string;
  onValue: (value: string) => void;
  error: ComponentChildren;
  inputRef: RefObject<HTMLInputElement | null>;
}

export interface FormFields<Name extends string> {
  values: Record<Name, string>;
  field: (name: Name) => FieldBinding;
  setValue: (name: Name, value: string) => void;
  clear: (...names: Name[]) => void;
  // Shows these errors and no others; focus goes to the first field in error.
  showErrors: (errors: FieldErrors<Name>) => void;
  focus: (name: Name) => void;
}

// The text fields of a form: their values, their errors, and focus moved to
// a field after the render that shows it (and its error). `names` is in the
// order of the fields on the page, and must not change between renders.
export function useFormFields<Name extends string>(names: readonly Name[]): FormFields<Name> {
  const [values, setValues] = useState(() => recordOf(names, () => ''));
  const [errors, setErrors] = useState<FieldErrors<Name>>({});
  const [focusTarget, setFocusTarget] = useState<{ name: Name } | null>(null);
  const refs = useMemo(() => recordOf(names, () => createRef<HTMLInputElement>()), []);

  useEffect(() => {
    if (focusTarget) refs[focusTarget.name].current?.focus();
  }, [focusTarget]);

  const setValue = (name: Name, value: string) => setValues((old) => ({ ...old, [name]: value }));
  const focus = (name: Name) => setFocusTarget({ name });
  return {
    values,
    field: (name) => ({
      value: values[name],
      onValue: (value) => setValue(name, value),
      error: errors[name],
      inputRef: refs[name],
    }),
    setValue,
    clear: (...cleared) => setValues((old) => ({ ...old, ...recordOf(cleared, () => '') })),
    showErrors: (shown) => {
      setErrors(shown);
      const first = names.find((name) => shown[name]);
      if (first) focus(first);
    },
    focus,
  };
}

function recordOf<Name extends string, T>(names: readonly Name[], make: () => T): Record<Name, T> {
  return Object.fromEntries(names.map((name) => [name, make()])) as Record<Name, T>;
}
