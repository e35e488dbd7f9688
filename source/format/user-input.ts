import { MAX_DURATION_MS, parseDuration } from '../domain/duration.js';
import { truncate } from './fit.js';

/**
 * What a user typed, quoted for a message and cut to `max` characters: a pasted line of thousands
 * must not push the message's reason off the screen.
 */
export function echo(text: string, max = 32): string {
  return JSON.stringify(clip(text, max));
}

/** The same, unquoted (a flag name): on one line, at most `max` cells (fit's truncate). */
export function clip(text: string, max = 32): string {
  return truncate(text.replace(/\s+/g, ' '), max);
}

/**
 * A duration a user gave, in ms, or why it cannot be used: not a duration, or longer than 30 days
 * (no game day holds a fault for longer; a typo of a few more digits must not become years).
 */
export function readDuration(
  text: string,
  examples = '30s, 2m, 1500ms',
): number | { error: string } {
  const ms = parseDuration(text);
  if (ms === undefined) return { error: `${echo(text)} is not a duration (${examples})` };
  if (ms > MAX_DURATION_MS)
    return { error: `${echo(text)} is longer than 30 days (720h); give a shorter window` };
  return ms;
}

const MEMORY_UNIT = /^\d+(?:\.\d+)?\s*([a-z]+)$/i;

/** Why a memory limit cannot be read ("1t": t is not a unit), for a limit parseMemory refused. */
export function memoryProblem(text: string): string {
  const unit = MEMORY_UNIT.exec(text.trim())?.[1];
  if (unit && !/^(?:[bkmg]|[kmg]i?b)$/i.test(unit))
    return `${echo(text)}: ${echo(unit)} is not a unit; use k, m or g (50m, 384m, 1g)`;
  return `${echo(text)} is not a memory limit: give one like 50m, 384m or 1g`;
}
