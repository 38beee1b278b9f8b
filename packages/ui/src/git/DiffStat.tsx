/** A file's or a diff's line counts: `+insertions −deletions`. */
export function DiffStat({ insertions, deletions }: { insertions: number; deletions: number }) {
  return (
    <span className="diff-stat" data-testid="diff-stat">
      <span className="stat-add">+{insertions}</span>
      <span className="stat-del">−{deletions}</span>
    </span>
  );
}
