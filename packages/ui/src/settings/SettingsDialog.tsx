/**
 * Settings: theme (light, dark, follow the system) and font sizes, saved to settings.json with
 * the reference's keys; where that file lives; which transport this window uses.
 */
import { Copy, Monitor, Moon, Sun, X } from 'lucide-react';
import { useEffect } from 'react';
import { Dialog } from '../components/Dialog.js';
import { Kbd } from '../components/Kbd.js';
import { Segmented } from '../components/Segmented.js';
import { preferenceFromSettings, themeChanges, type ThemePreference } from '../lib/theme.js';
import { TYPOGRAPHY_CHOICES, typographyChange, typographyFromSettings, type TypographyKey } from '../lib/typography.js';
import { copyText } from '../lib/clipboard.js';
import { runtimeApis } from '../state/runtime.js';
import { useSettings } from '../state/settings.js';
import { SHORTCUTS } from '../shortcuts.js';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} onClose={onClose} label="Settings" className="dialog-settings">
      <SettingsBody onClose={onClose} />
    </Dialog>
  );
}

function SettingsBody({ onClose }: { onClose(): void }) {
  const settings = useSettings((state) => state.settings);
  const systemPrefersDark = useSettings((state) => state.systemPrefersDark);
  const dataDirectory = useSettings((state) => state.dataDirectory);
  const save = useSettings((state) => state.save);
  const loadDataDirectory = useSettings((state) => state.loadDataDirectory);

  useEffect(() => {
    void loadDataDirectory();
  }, [loadDataDirectory]);

  const preference = preferenceFromSettings(settings ?? {});
  const sizes = typographyFromSettings(settings ?? {});
  const platform = runtimeApis().runtime.platform;

  const setTheme = (next: ThemePreference) => void save(themeChanges(next, systemPrefersDark), 'Saving the theme');
  const setSize = (key: TypographyKey, pixels: number) =>
    void save(typographyChange(key, pixels), 'Saving the font size');

  return (
    <div className="settings">
      <header className="dialog-header">
        <h2>Settings</h2>
        <button type="button" className="icon-button" aria-label="Close settings" onClick={onClose}>
          <X size={16} />
        </button>
      </header>

      <section className="settings-section">
        <h3>Appearance</h3>
        <div className="setting">
          <div className="setting-text">
            <span className="setting-label">Theme</span>
            <span className="setting-help">“System” follows your operating system’s light or dark mode.</span>
          </div>
          <Segmented<ThemePreference>
            label="Theme"
            value={preference}
            onChange={setTheme}
            testId="theme-choice"
            autoFocus
            options={[
              {
                value: 'light',
                label: (
                  <>
                    <Sun size={14} /> Light
                  </>
                ),
              },
              {
                value: 'dark',
                label: (
                  <>
                    <Moon size={14} /> Dark
                  </>
                ),
              },
              {
                value: 'system',
                label: (
                  <>
                    <Monitor size={14} /> System
                  </>
                ),
              },
            ]}
          />
        </div>
        <div className="setting">
          <div className="setting-text">
            <span className="setting-label">Interface text</span>
            <span className="setting-help">Size of labels, the file tree and menus.</span>
          </div>
          <Segmented<number>
            label="Interface text size"
            value={sizes.uiLabel}
            onChange={(pixels) => setSize('uiLabel', pixels)}
            testId="ui-size-choice"
            options={TYPOGRAPHY_CHOICES.uiLabel.map((pixels) => ({
              value: pixels,
              label: `${pixels}`,
              title: `${pixels} px`,
            }))}
          />
        </div>
        <div className="setting">
          <div className="setting-text">
            <span className="setting-label">Code text</span>
            <span className="setting-help">Size of paths and monospaced text.</span>
          </div>
          <Segmented<number>
            label="Code text size"
            value={sizes.code}
            onChange={(pixels) => setSize('code', pixels)}
            testId="code-size-choice"
            options={TYPOGRAPHY_CHOICES.code.map((pixels) => ({
              value: pixels,
              label: `${pixels}`,
              title: `${pixels} px`,
            }))}
          />
        </div>
      </section>

      <section className="settings-section">
        <h3>Storage</h3>
        <div className="setting setting-stacked">
          <span className="setting-label">Data directory</span>
          <span className="setting-help">
            settings.json and its siblings live here, shared by the web and desktop runtimes.
          </span>
          <div className="path-field">
            <code data-testid="data-directory">{dataDirectory?.dataDirectory ?? '…'}</code>
            {dataDirectory ? (
              <button
                type="button"
                className="icon-button"
                aria-label="Copy data directory path"
                title="Copy"
                onClick={() => void copyText(dataDirectory.dataDirectory, 'Data directory copied')}
              >
                <Copy size={14} />
              </button>
            ) : null}
          </div>
        </div>
        <div className="setting">
          <div className="setting-text">
            <span className="setting-label">Connection</span>
            <span className="setting-help">
              {platform === 'desktop'
                ? 'Desktop window: IPC to the runtime, no network port.'
                : 'Web: HTTP and server-sent events to the Chamber server.'}
            </span>
          </div>
          <span className="badge" data-testid="transport">
            {platform}
          </span>
        </div>
      </section>

      <section className="settings-section">
        <h3>Keyboard</h3>
        <dl className="shortcut-list">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.id} className="shortcut-row">
              <dt>{shortcut.label}</dt>
              <dd>
                <Kbd shortcut={shortcut.keys} />
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
