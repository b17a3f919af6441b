import { useState } from "react";

/** A shell command to copy onto a host, with a Copy button. */
export function CommandBlock({ label, command }: { label: string; command: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(command);
      setCopied(true);
    } catch {
      // No clipboard (plain http on another host): the text stays selectable.
    }
  }
  return (
    <div className="command">
      <pre className="code" aria-label={label}>
        <code>{command}</code>
      </pre>
      <button type="button" className="button" onClick={() => void copy()}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
