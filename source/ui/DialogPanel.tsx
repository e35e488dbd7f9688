import { Box } from 'ink';
import stringWidth from 'string-width';
import { fit, wrap } from '../format/fit.js';
import { serviceDialogText } from '../console/service-flow.js';
import { helpersOfferText } from '../console/helper-offer.js';
import type { Dialog } from '../store/dialog.js';
import type { TextField } from '../store/text-field.js';
import { faultSummary, faultTargetText } from '../faults/lines.js';
import { useDeck, type Tone } from './context.js';
import { FieldLine } from './FieldLine.js';
import { Line, PaneTitle } from './Line.js';

interface DialogLine {
  text: string;
  tone?: Tone;
  selected?: boolean;
  /** A field being typed in: drawn with its cursor after `text`, its hint after it. */
  field?: { input: TextField; hint: string };
}

/** Wraps `text`, keeping its leading spaces on the first line and under them on the rest. */
function wrapIndented(text: string, width: number): string[] {
  const lead = /^ */.exec(text)![0];
  return wrap(text, width - lead.length, '  ').map((line) => lead + line);
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
  if (d.type === 'helpers') {
    return {
      title: `Reach ${d.nodeName} through Swarm helpers?`,
      lines: [
        ...helpersOfferText(d).map((text) => ({ text })),
        {
          text: 'y = use helpers for this run · n = not now (--helpers / --no-helpers decide at start)',
          tone: 'accent' as const,
        },
      ],
    };
  }
  if (d.type === 'experiments') {
    return {
      title: `Experiments in ${d.dir}${dryRun ? '  [dry-run: nothing will change]' : ''}`,
      lines: [
        ...d.items.map((x, i) => ({
          text: `${i === d.index ? '›' : ' '} ${x.file}${x.problem ? ` — ${x.problem}` : x.title ? ` — ${x.title}` : ''}`,
          ...(x.problem ? { tone: 'bad' as const } : {}),
          selected: i === d.index,
        })),
        { text: 'Enter runs it · ↑↓ choose · Esc closes · ! halts a running one', tone: 'accent' },
      ],
    };
  }
  if (d.type === 'service') {
    return {
      title: `${d.action.kind.toUpperCase()} ${d.service.name}${dryRun ? '  [dry-run: nothing will change]' : ''}`,
      lines: [
        { text: serviceDialogText(d), tone: 'warn' },
        ...(d.error ? [{ text: d.error, tone: 'bad' as const }] : []),
        {
          text: d.stage === 'running' ? 'asking Swarm…' : 'y = go ahead, n or Esc = cancel',
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
    const hint = `(${f.hint}${f.fallback ? `; empty: ${f.fallback}` : ''})`;
    lines.push(
      current
        ? { text: `› ${f.label}: `, field: { input: f.input, hint } }
        : { text: `  ${f.label}: ${f.input.text}   ${hint}` },
    );
  });
  if (d.error) lines.push({ text: `✗ ${d.error}`, tone: 'bad' });
  switch (d.stage) {
    case 'edit':
      lines.push({
        text: 'Enter check · Tab/↑↓ field · typing replaces a default, ←/→ edit it · Esc cancel',
        tone: 'dim',
      });
      break;
    case 'checking':
      lines.push({ text: 'checking the target…', tone: 'dim' });
      break;
    case 'confirm':
      lines.push({
        text: `${d.description} on ${faultTargetText(d.kind, t)}?`,
        tone: 'warn',
      });
      if (d.ending) lines.push({ text: `if this console is gone: ${d.ending}`, tone: 'dim' });
      if (d.guard) lines.push({ text: `careful: ${d.guard.reason}`, tone: 'bad' });
      lines.push({ text: 'y = go ahead · n/Esc = cancel', tone: 'accent' });
      break;
    case 'confirm-name':
      lines.push({
        text: `${d.guard?.reason}. Type ${d.guard?.name} and Enter to go ahead, Esc to cancel:`,
        tone: 'bad',
      });
      lines.push({ text: '> ', field: { input: d.typed, hint: '' } });
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
  // An error or a confirmation wraps under itself: its end is often the part that says why.
  const shown = lines
    .flatMap((l) =>
      l.field || stringWidth(l.text) <= width - 2
        ? [l]
        : // A line's own indent (a list's unselected rows) stays on its first and later lines.
          wrapIndented(l.text, width - 2).map((text) => ({ ...l, text })),
    )
    .slice(0, Math.max(0, height - 1));
  return (
    <Box flexDirection="column" height={height}>
      <PaneTitle title={title} focused width={width} color={color} />
      {shown.map((l, i) =>
        l.field ? (
          <FieldLine
            key={i}
            prefix={`  ${l.text}`}
            field={l.field.input}
            hint={l.field.hint}
            width={width}
            color={color}
          />
        ) : (
          <Line
            key={i}
            text={fit(`  ${l.text}`, width)}
            color={color}
            tone={l.tone ?? 'normal'}
            selected={l.selected ?? false}
          />
        ),
      )}
    </Box>
  );
}
