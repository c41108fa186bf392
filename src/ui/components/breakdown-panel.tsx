/**
 * A panel of top values of one dimension (with tabs for related dimensions). Clicking a row
 * adds it as a filter. Values are visitor-sent text and are rendered only as text nodes.
 */
import { useState } from 'preact/hooks';
import type { ApiFilter, QueryResult } from '../api.js';
import { formatMetric } from '../format.js';
import { useApp, useLoad } from '../hooks.js';
import { apiFilters, dateRangeOf, withFilter, type ViewState } from '../view-state.js';

export interface PanelTab {
  key: string;
  label: string;
  dimension: string;
  metrics: string[];
  /** Column headings of the metrics. */
  headings: string[];
  /** Filters added to the view's own (e.g. no page views in a custom-events list). */
  extraFilters?: ApiFilter[];
  /** Text shown for a value (default: the value, '(none)' when empty). */
  label_of?(value: string): string;
  /** Prefix shown before the label, e.g. a flag. */
  icon_of?(value: string): string;
  /** Shown when the list is empty. */
  empty?: string;
  /** Renders the tab's own controls above the list (e.g. the property key input). */
  controls?: 'prop';
}

export interface PanelDef {
  key: string;
  title: string;
  tabs: PanelTab[];
}

const PAGE_SIZE = 9;
const MORE_SIZE = 100;

function Rows(props: { tab: PanelTab; result: QueryResult; onPick(value: string): void }) {
  const { tab, result } = props;
  const max = Math.max(1, ...result.results.map((r) => Number(r.metrics[0] ?? 0)));
  return (
    <table class="breakdown">
      <thead>
        <tr>
          <th scope="col">{tab.label}</th>
          {tab.headings.map((h) => <th key={h} scope="col" class="num">{h}</th>)}
        </tr>
      </thead>
      <tbody>
        {result.results.map((r) => {
          const value = String(r.dimensions[0] ?? '');
          const width = (Number(r.metrics[0] ?? 0) / max) * 100;
          const text = tab.label_of ? tab.label_of(value) : value === '' ? '(none)' : value;
          const icon = tab.icon_of?.(value);
          return (
            <tr key={value}>
              <td class="bar-cell">
                <span class="bar" style={{ width: `${width.toFixed(1)}%` }} aria-hidden="true" />
                <button type="button" class="row-button" title={`Filter by ${text}`} onClick={() => props.onPick(value)}>
                  {icon && <span class="row-icon" aria-hidden="true">{icon}</span>}
                  <span class="row-label">{text}</span>
                </button>
              </td>
              {tab.metrics.map((m, i) => <td key={m} class="num">{formatMetric(m, r.metrics[i])}</td>)}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function BreakdownPanel(props: { def: PanelDef; view: ViewState; domain: string; onChange(next: ViewState): void }) {
  const { api } = useApp();
  const { def, view } = props;
  const tab = def.tabs.find((t) => t.key === view.tabs[def.key]) ?? def.tabs[0]!;
  const [more, setMore] = useState(false);
  const [propDraft, setPropDraft] = useState(view.prop);
  const needsProp = tab.controls === 'prop' && !view.prop;
  const dimension = tab.controls === 'prop' ? `event:props:${view.prop}` : tab.dimension;
  const limit = more ? MORE_SIZE : PAGE_SIZE;
  const body = {
    site_id: props.domain, metrics: tab.metrics, date_range: dateRangeOf(view), dimensions: [dimension],
    filters: apiFilters(view, tab.extraFilters), pagination: { limit: limit + 1 },
  };
  const loaded = useLoad(needsProp ? 'none' : JSON.stringify(body), () => (needsProp ? Promise.resolve(undefined) : api.query(body)));
  const result = loaded.data;
  const shown = result ? { ...result, results: result.results.slice(0, limit) } : undefined;

  return (
    <section class="card panel" data-section={def.key} aria-labelledby={`panel-${def.key}`}>
      <div class="panel-head">
        <h2 id={`panel-${def.key}`}>{def.title}</h2>
        {def.tabs.length > 1 && (
          <div class="tabs" role="tablist" aria-label={def.title}>
            {def.tabs.map((t) => (
              <button
                key={t.key}
                type="button"
                role="tab"
                aria-selected={t.key === tab.key}
                class={`tab ${t.key === tab.key ? 'active' : ''}`}
                onClick={() => { setMore(false); props.onChange({ ...view, tabs: { ...view.tabs, [def.key]: t.key } }); }}
              >
                {t.label}
              </button>
            ))}
          </div>
        )}
      </div>
      {tab.controls === 'prop' && (
        <form class="row prop-form" onSubmit={(e) => { e.preventDefault(); props.onChange({ ...view, prop: propDraft.trim() }); }}>
          <label class="inline grow">Property <input value={propDraft} placeholder="e.g. plan" onInput={(e) => setPropDraft((e.currentTarget as HTMLInputElement).value)} /></label>
          <button class="button" type="submit">Show</button>
        </form>
      )}
      <div class={`panel-body ${loaded.loading ? 'is-loading' : ''}`} data-panel={def.key}>
        {loaded.error && <p class="error">{loaded.error}</p>}
        {needsProp && <p class="muted">Type a custom property name to break events down by its values.</p>}
        {shown && shown.results.length === 0 && <p class="muted empty">{tab.empty ?? 'No data for this period.'}</p>}
        {shown && shown.results.length > 0 && (
          <Rows tab={tab} result={shown} onPick={(value) => props.onChange(withFilter(view, { op: 'is', dim: dimension, value }))} />
        )}
      </div>
      {result && (result.results.length > limit || more) && (
        <button type="button" class="button ghost small more" onClick={() => setMore(!more)}>{more ? 'Show fewer' : 'Show more'}</button>
      )}
    </section>
  );
}
