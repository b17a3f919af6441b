/**
 * Splits a path for a middle ellipsis: the head may shrink behind "…", the tail (its last
 * segment, at most `tailChars`) always shows, since similar mounts differ at their end.
 */
export function splitForEllipsis(text: string, tailChars = 18): [string, string] {
  if (text.length <= tailChars + 4) return [text, ""];
  const slash = text.lastIndexOf("/", text.length - 2);
  const start = slash > 0 && text.length - slash <= tailChars ? slash : text.length - tailChars;
  return [text.slice(0, start), text.slice(start)];
}

/**
 * A long text cut in the middle ("/srv/backups/…/2024-weekly"), the whole of it on hover. Both
 * parts stay in the page, so find-in-page and copying read the full path.
 */
export function MiddleEllipsis({ text, className }: { text: string; className?: string }) {
  const [head, tail] = splitForEllipsis(text);
  return (
    <span className={`middle-ellipsis ${className ?? ""}`} title={text}>
      <span className="middle-ellipsis__head">{head}</span>
      {tail ? <span className="middle-ellipsis__tail">{tail}</span> : null}
    </span>
  );
}
