/**
 * Settings: theme (light, dark, follow the system) and font sizes, saved to settings.json with
 * the reference's keys; the AI endpoint and the prompt enhancer's groups (their own files); where
 * those files live; which transport this window uses.
 */
import { Copy, Monitor, Moon, Sun, X } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { Dialog } from '../components/Dialog.js';
import { IconButton } from '../components/IconButton.js';
import { Segmented } from '../components/Segmented.js';
import { ShortcutList } from '../components/ShortcutList.js';
import { copyText } from '../lib/clipboard.js';
import { preferenceFromSettings, themeChanges, type ThemePreference } from '../lib/theme.js';
import { TYPOGRAPHY_CHOICES, typographyChange, typographyFromSettings, type TypographyKey } from '../lib/typography.js';
import { runtimeApis } from '../state/runtime.js';
import { useSettings } from '../state/settings.js';
import { AiEndpointSection } from './AiEndpointSection.js';
import { PromptEnhancerSection } from './PromptEnhancerSection.js';

export function SettingsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} onClose={onClose} label="Settings" className="dialog-settings">
      <SettingsBody onClose={onClose} />
    </Dialog>
  );
}

const THEME_OPTIONS = [
  { value: 'light', icon: <Sun size={14} />, name: 'Light' },
  { value: 'dark', icon: <Moon size={14} />, name: 'Dark' },
  { value: 'system', icon: <Monitor size={14} />, name: 'System' },
] as const;

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
  const platform = runtimeApis().runtime.platform;

  return (
    <div className="settings">
      <header className="dialog-header">
        <h2>Settings</h2>
        <IconButton label="Close settings" onClick={onClose}>
          <X size={16} />
        </IconButton>
      </header>

      <section className="settings-section">
        <h3>Appearance</h3>
        <Setting label="Theme" help="“System” follows your operating system’s light or dark mode.">
          <Segmented<ThemePreference>
            label="Theme"
            value={preference}
            onChange={(next) => void save(themeChanges(next, systemPrefersDark), 'Saving the theme')}
            testId="theme-choice"
            autoFocus
            options={THEME_OPTIONS.map(({ value, icon, name }) => ({
              value,
              label: (
                <>
                  {icon} {name}
                </>
              ),
            }))}
          />
        </Setting>
        <SizeSetting sizeKey="uiLabel" label="Interface text" help="Size of labels, the file tree and menus." />
        <SizeSetting sizeKey="code" label="Code text" help="Size of paths and monospaced text." />
      </section>

      <section className="settings-section" aria-label="AI">
        <h3>AI</h3>
        <AiEndpointSection />
      </section>

      <section className="settings-section" aria-label="Prompt enhancer">
        <h3>Prompt enhancer</h3>
        <PromptEnhancerSection />
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
              <IconButton
                label="Copy data directory path"
                onClick={() => void copyText(dataDirectory.dataDirectory, 'Data directory copied')}
              >
                <Copy size={14} />
              </IconButton>
            ) : null}
          </div>
        </div>
        <Setting
          label="Connection"
          help={
            platform === 'desktop'
              ? 'Desktop window: IPC to the runtime, no network port.'
              : 'Web: HTTP and server-sent events to the Chamber server.'
          }
        >
          <span className="badge" data-testid="transport">
            {platform}
          </span>
        </Setting>
      </section>

      <section className="settings-section">
        <h3>Keyboard</h3>
        <ShortcutList className="shortcut-list" />
      </section>
    </div>
  );
}

function Setting({ label, help, children }: { label: string; help: string; children: ReactNode }) {
  return (
    <div className="setting">
      <div className="setting-text">
        <span className="setting-label">{label}</span>
        <span className="setting-help">{help}</span>
      </div>
      {children}
    </div>
  );
}

const SIZE_TEST_IDS: Record<TypographyKey, string> = { uiLabel: 'ui-size-choice', code: 'code-size-choice' };

function SizeSetting({ sizeKey, label, help }: { sizeKey: TypographyKey; label: string; help: string }) {
  const value = useSettings((state) => typographyFromSettings(state.settings ?? {})[sizeKey]);
  const save = useSettings((state) => state.save);
  return (
    <Setting label={label} help={help}>
      <Segmented<number>
        label={`${label} size`}
        value={value}
        onChange={(pixels) => void save(typographyChange(sizeKey, pixels), 'Saving the font size')}
        testId={SIZE_TEST_IDS[sizeKey]}
        options={TYPOGRAPHY_CHOICES[sizeKey].map((pixels) => ({
          value: pixels,
          label: `${pixels}`,
          title: `${pixels} px`,
        }))}
      />
    </Setting>
  );
}
