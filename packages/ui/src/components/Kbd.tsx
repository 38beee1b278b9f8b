import { shortcutLabel } from '../lib/keyboard.js';
import { IS_MAC } from '../lib/platform.js';

export function Kbd({ shortcut }: { shortcut: string }) {
  return (
    <span className="kbd-group" aria-hidden="true">
      {shortcutLabel(shortcut, IS_MAC).map((part, index) => (
        <kbd key={index}>{part}</kbd>
      ))}
    </span>
  );
}
