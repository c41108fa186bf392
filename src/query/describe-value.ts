/**
 * A value as error messages quote it: JSON, cut to a readable length, on one line, and safe
 * for any input (a deeply nested array would overflow JSON.stringify's stack: that must be
 * a 400 naming the field, not a 500).
 */
export function describeValue(value: unknown, maxLength = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? '[...]' : typeof value === 'object' && value !== null ? '{...}' : typeof value;
  }
  // JSON.stringify escapes newlines inside strings; this guards String(value) of odd inputs.
  text = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  return text.length > maxLength ? `${text.slice(0, maxLength)}...` : text;
}
