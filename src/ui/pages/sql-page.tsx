/** /sql (admins): the read-only SQL console over POST /api/v2/sql, as a table with CSV download. */
import { useState } from 'preact/hooks';
import { Layout } from '../components/layout.js';
import { toCsv } from '../csv.js';
import { useApp } from '../hooks.js';

interface SqlAnswer {
  columns: string[];
  rows: unknown[][];
  truncated?: boolean;
}

const EXAMPLE = 'SELECT pathname, count(*) AS views\nFROM events\nWHERE name = \'pageview\'\nGROUP BY 1\nORDER BY 2 DESC\nLIMIT 20';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function SqlPage() {
  const { api, user } = useApp();
  const [sql, setSql] = useState(EXAMPLE);
  const [answer, setAnswer] = useState<SqlAnswer | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [ms, setMs] = useState(0);
  const run = async () => {
    setBusy(true);
    const started = performance.now();
    try {
      setAnswer(await api.post<SqlAnswer>('/api/v2/sql', { sql }));
      setError(undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setAnswer(undefined);
    }
    setMs(Math.round(performance.now() - started));
    setBusy(false);
  };
  const download = () => {
    if (!answer) return;
    const url = URL.createObjectURL(new Blob([toCsv(answer.columns, answer.rows)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'footfall-query.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  if (!user?.admin) return <Layout title="SQL"><p class="error">Only admins may use the SQL console.</p></Layout>;
  return (
    <Layout title="SQL console">
      <h1>SQL console</h1>
      <p class="muted small">Read-only: one SELECT over the <code>events</code> table, cancelled after 10 s. Ctrl+Enter runs it.</p>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label><span class="sr-only">SQL</span>
          <textarea class="sql" rows={8} spellcheck={false} value={sql}
            onInput={(e) => setSql((e.currentTarget as HTMLTextAreaElement).value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void run(); } }} />
        </label>
        <div class="row">
          <button class="button primary" type="submit" disabled={busy}>{busy ? 'Running…' : 'Run'}</button>
          {answer && <button class="button" type="button" onClick={download}>Download CSV</button>}
          {answer && <span class="muted small" role="status">{answer.rows.length} rows{answer.truncated ? ' (cut at the row cap)' : ''} in {ms} ms</span>}
        </div>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {answer && (
        <div class="table-scroll">
          <table class="result-table">
            <thead><tr>{answer.columns.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
            <tbody>{answer.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{cell(v)}</td>)}</tr>)}</tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
