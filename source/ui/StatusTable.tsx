import { Table } from '@alcalzone/ink-table';
import { Box, renderToString, Text } from 'ink';
import type { StatusRow } from '../format/status-table.js';

/** The one-shot `chaosdeck status` output: a header line and a bordered table. */
export function StatusTable({ title, rows }: { title: string; rows: StatusRow[] }) {
  return (
    <Box flexDirection="column">
      <Text>{title}</Text>
      {rows.length === 0 ? <Text>no services</Text> : <Table data={rows} />}
    </Box>
  );
}

/** Renders the status table to a string of the given width. */
export function renderStatus(title: string, rows: StatusRow[], columns: number): string {
  return renderToString(<StatusTable title={title} rows={rows} />, { columns });
}
