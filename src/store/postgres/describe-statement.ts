/**
 * Asks the server for the result columns of one statement without planning or running it: the
 * extended protocol's Parse + Describe(statement) + Sync, sent as a node-postgres Submittable.
 * Parse analysis evaluates no function, so nothing the statement calls can run here; and Parse
 * refuses text holding more than one statement.
 */
import type { Connection, FieldDef, PoolClient, Submittable } from 'pg';

/** What Parse + Describe reports: the columns, or null when the statement returns no rows. */
export type Described = Pick<FieldDef, 'name' | 'dataTypeID'>[] | null;

class DescribeStatement implements Submittable {
  private fields: Described = null;
  readonly done: Promise<Described>;
  private resolve!: (fields: Described) => void;
  private reject!: (err: unknown) => void;

  constructor(private readonly text: string) {
    this.done = new Promise<Described>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: Connection): void {
    // The unnamed statement: replaced by the next Parse, so nothing is left behind.
    connection.parse({ text: this.text, name: '', types: [] }, true);
    connection.describe({ type: 'S', name: '' }, true);
    connection.sync();
  }

  // node-postgres calls these on the active query as the server's messages arrive.
  handleRowDescription(msg: { fields: FieldDef[] }): void {
    this.fields = msg.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
  }

  /** On an error the client drops the query before ReadyForQuery, so settle here. */
  handleError(err: unknown): void {
    this.reject(err);
  }

  handleReadyForQuery(): void {
    this.resolve(this.fields);
  }

  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
  handleCopyInResponse(): void {}
}

export function describeStatement(client: PoolClient, text: string): Promise<Described> {
  const query = client.query(new DescribeStatement(text));
  return query.done;
}
