/** Code to copy (snippets, share URLs), with a copy button. */
import { useState } from 'preact/hooks';

export function CopyBox({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // clipboard unavailable (http, permissions): the text is selectable anyway
    }
  };
  return (
    <div class="copy-box">
      <pre aria-label={label}><code>{text}</code></pre>
      <button type="button" class="button small" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
    </div>
  );
}
