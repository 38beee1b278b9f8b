import { SHORTCUTS } from '../shortcuts.js';
import { Kbd } from './Kbd.js';

/** Every global shortcut with its keys, from the one shortcut table. */
export function ShortcutList({ className }: { className: string }) {
  return (
    <dl className={className}>
      {SHORTCUTS.map((shortcut) => (
        <div key={shortcut.id} className="shortcut-row">
          <dt>{shortcut.label}</dt>
          <dd>
            <Kbd shortcut={shortcut.keys} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
