import type { ReactNode } from 'react';

/** A square icon-only button; `label` is both its accessible name and its tooltip. */
export function IconButton({
  label,
  onClick,
  children,
  className,
  title,
  testId,
}: {
  label: string;
  onClick(): void;
  children: ReactNode;
  className?: string;
  /** Tooltip when it should say more than the label (a shortcut, say). */
  title?: string;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className={`icon-button${className ? ` ${className}` : ''}`}
      aria-label={label}
      title={title ?? label}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
