/** The active filters as removable chips. Values are visitor-sent text: rendered as text only. */
import { dimensionLabel, OPERATOR_LABELS, withoutFilter, type ViewState } from '../view-state.js';

export function FilterChips({ view, onChange }: { view: ViewState; onChange(next: ViewState): void }) {
  if (view.filters.length === 0) return null;
  return (
    <ul class="chips" aria-label="Filters">
      {view.filters.map((f, i) => (
        <li key={`${f.dim}|${f.value}`} class="chip">
          <span class="chip-text">
            {dimensionLabel(f.dim)} {OPERATOR_LABELS[f.op]} <strong>{f.value === '' ? '(none)' : f.value}</strong>
          </span>
          <button type="button" class="chip-remove" aria-label={`Remove filter ${dimensionLabel(f.dim)} ${OPERATOR_LABELS[f.op]} ${f.value}`} onClick={() => onChange(withoutFilter(view, i))}>
            ×
          </button>
        </li>
      ))}
      {view.filters.length > 1 && (
        <li><button type="button" class="button ghost small" onClick={() => onChange({ ...view, filters: [] })}>Clear all</button></li>
      )}
    </ul>
  );
}
