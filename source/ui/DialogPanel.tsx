import { Box } from 'ink';
import { fit } from '../format/fit.js';
import type { Dialog } from '../store/dialog.js';
import { faultSummary } from '../format/fault-lines.js';
import { useDeck, type Tone } from './context.js';
import { Line, PaneTitle } from './Line.js';

interface DialogLine {
  text: string;
  tone?: Tone;
  selected?: boolean;
}

function dialogLines(d: Dialog, dryRun: boolean): { title: string; lines: DialogLine[] } {
  if (d.type === 'leftovers') {
    return {
      title: 'Faults left by an earlier chaosdeck',
      lines: [
        {
          text: `${d.records.length} fault(s) from a chaosdeck that is no longer running are still active:`,
          tone: 'warn',
        },
        ...d.records.map((r) => ({ text: `  ${faultSummary(r)}` })),
        {
          text:
            d.stage === 'running'
              ? 'undoing…'
              : 'Undo them now? y = undo, n = leave them (chaosdeck restore undoes them later)',
          tone: 'accent',
        },
      ],
    };
  }
  const t = d.target;
  const title = `${d.kind.toUpperCase()} ${t.slotName}${dryRun ? '  [dry-run: nothing will change]' : ''}`;
  const lines: DialogLine[] = [
    {
      text: `task ${t.taskId.slice(0, 12)} · container ${t.containerId.slice(0, 12)} · node ${t.nodeName}`,
      tone: 'dim',
    },
  ];
  d.fields.forEach((f, i) => {
    const current = d.stage === 'edit' && i === d.index;
    lines.push({
      text: `${current ? '›' : ' '} ${f.label}: ${f.value}${current ? '█' : ''}   (${f.hint})`,
      selected: current,
    });
  });
  if (d.error) lines.push({ text: `✗ ${d.error}`, tone: 'bad' });
  switch (d.stage) {
    case 'edit':
      lines.push({ text: 'Enter check · Tab/↑↓ field · Esc cancel', tone: 'dim' });
      break;
    case 'checking':
      lines.push({ text: 'checking the target…', tone: 'dim' });
      break;
    case 'confirm':
      lines.push({
        text: `${d.description} on ${t.slotName} (container ${t.containerId.slice(0, 12)} on ${t.nodeName})?`,
        tone: 'warn',
      });
      if (d.guard) lines.push({ text: `careful: ${d.guard.reason}`, tone: 'bad' });
      lines.push({ text: 'y = go ahead · n/Esc = cancel', tone: 'accent' });
      break;
    case 'confirm-name':
      lines.push({
        text: `${d.guard?.reason}. Type ${d.guard?.name} and Enter to go ahead, Esc to cancel:`,
        tone: 'bad',
      });
      lines.push({ text: `> ${d.typed}█` });
      break;
    case 'running':
      lines.push({ text: `${d.description ?? d.kind}…`, tone: 'warn' });
      break;
  }
  return { title, lines };
}

/** The open dialog, in the space of the lower panes. */
export function DialogPanel({ height }: { height: number }) {
  const dialog = useDeck((s) => s.dialog);
  const dryRun = useDeck((s) => s.modes.dryRun);
  const color = useDeck((s) => s.ui.color);
  const width = useDeck((s) => s.ui.size.columns);
  if (!dialog) return null;
  const { title, lines } = dialogLines(dialog, dryRun);
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused width={width} color={color} />
      {lines.slice(0, Math.max(0, height - 1)).map((l, i) => (
        <Line
          key={i}
          text={fit(`  ${l.text}`, width)}
          color={color}
          tone={l.tone ?? 'normal'}
          selected={l.selected ?? false}
        />
      ))}
    </Box>
  );
}
