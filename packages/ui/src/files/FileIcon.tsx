/** One icon per kind of entry; colours come from the theme (`--icon-*`). */
import {
  File,
  FileArchive,
  FileBraces,
  FileCode,
  FileCog,
  FileImage,
  FileLock,
  FileTerminal,
  FileText,
  Folder,
  FolderOpen,
  type LucideIcon,
} from 'lucide-react';

const BY_EXTENSION: [RegExp, LucideIcon, string][] = [
  [
    /\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|kt|c|h|cc|cpp|hpp|cs|rb|php|swift|vue|svelte|css|scss|html?)$/i,
    FileCode,
    'code',
  ],
  [/\.(json|jsonc|ya?ml|toml|xml)$/i, FileBraces, 'data'],
  [/\.(md|mdx|txt|rst|adoc)$/i, FileText, 'text'],
  [/\.(png|jpe?g|gif|svg|webp|ico|bmp|avif)$/i, FileImage, 'image'],
  [/\.(zip|tar|gz|tgz|bz2|xz|7z|rar)$/i, FileArchive, 'archive'],
  [/\.(sh|bash|zsh|fish|ps1)$/i, FileTerminal, 'code'],
  [/(^|\/)(\.env.*|.*\.(pem|key|crt))$/i, FileLock, 'secret'],
  [/(^|\/)(\..*rc|.*\.config\.[a-z]+|Makefile|Dockerfile|\.gitignore|\.editorconfig)$/i, FileCog, 'config'],
];

export function fileKind(name: string): { Icon: LucideIcon; tone: string } {
  for (const [pattern, Icon, tone] of BY_EXTENSION) if (pattern.test(name)) return { Icon, tone };
  return { Icon: File, tone: 'plain' };
}

export function EntryIcon({
  name,
  isDirectory,
  open = false,
  size = 16,
}: {
  name: string;
  isDirectory: boolean;
  open?: boolean;
  size?: number;
}) {
  if (isDirectory) {
    const Icon = open ? FolderOpen : Folder;
    return <Icon size={size} className="entry-icon icon-folder" aria-hidden="true" />;
  }
  const { Icon, tone } = fileKind(name);
  return <Icon size={size} className={`entry-icon icon-${tone}`} aria-hidden="true" />;
}
