/** Period picker: the API's relative ranges, or custom dates; and the comparison mode. */
import { useState } from 'preact/hooks';
import { PERIODS, type Comparison, type ViewState } from '../view-state.js';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function DatePicker({ view, onChange }: { view: ViewState; onChange(next: ViewState): void }) {
  const [from, setFrom] = useState(view.from || today());
  const [to, setTo] = useState(view.to || today());
  const [custom, setCustom] = useState(view.period === 'custom');
  return (
    <div class="date-picker row wrap">
      <label class="inline">
        <span class="sr-only">Period</span>
        <select
          value={custom ? 'custom' : view.period}
          onChange={(e) => {
            const value = (e.currentTarget as HTMLSelectElement).value;
            if (value === 'custom') setCustom(true);
            else {
              setCustom(false);
              onChange({ ...view, period: value, from: '', to: '', interval: '' });
            }
          }}
        >
          {PERIODS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
        </select>
      </label>
      {custom && (
        <form class="row wrap custom-dates" onSubmit={(e) => { e.preventDefault(); onChange({ ...view, period: 'custom', from, to, interval: '' }); }}>
          <label class="inline">From <input type="date" value={from} max={to} onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)} required /></label>
          <label class="inline">To <input type="date" value={to} min={from} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} required /></label>
          <button class="button" type="submit">Apply</button>
        </form>
      )}
      <label class="inline">
        <span class="sr-only">Compare with</span>
        <select value={view.compare} onChange={(e) => onChange({ ...view, compare: (e.currentTarget as HTMLSelectElement).value as Comparison })}>
          <option value="previous_period">vs previous period</option>
          <option value="year_over_year">vs a year before</option>
          <option value="off">no comparison</option>
        </select>
      </label>
    </div>
  );
}
