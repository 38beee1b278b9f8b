/** A radio group drawn as segments: Tab enters it, arrows change the choice (WAI-ARIA radio group). */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Segment<T extends string | number> {
  value: T;
  label: ReactNode;
  title?: string;
}

export function Segmented<T extends string | number>({
  label,
  value,
  options,
  onChange,
  testId,
  autoFocus = false,
}: {
  label: string;
  value: T;
  options: readonly Segment<T>[];
  onChange(value: T): void;
  testId?: string;
  /** Take focus when mounted (the first control of a dialog). */
  autoFocus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const index = options.findIndex((option) => option.value === value);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = options[(Math.max(index, 0) + step + options.length) % options.length];
    if (!next) return;
    onChange(next.value);
    requestAnimationFrame(() => ref.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus());
  }

  return (
    <div
      ref={ref}
      className="segmented"
      role="radiogroup"
      aria-label={label}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      {options.map((option, position) => {
        const checked = option.value === value;
        return (
          <button
            key={String(option.value)}
            type="button"
            role="radio"
            aria-checked={checked}
            tabIndex={checked || (index < 0 && position === 0) ? 0 : -1}
            className={`segment${checked ? ' is-checked' : ''}`}
            title={option.title}
            data-autofocus={autoFocus && checked ? '' : undefined}
            onClick={() => onChange(option.value)}
            data-value={option.value}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
}
