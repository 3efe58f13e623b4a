import { fieldError, FleetCommandType, parseCommandEnvelope } from '@spapr/domain';
import { RecordFleetCommands } from '@spapr/planner';
import { BadInputError } from '../cli-error';
import type { CliResult } from '../cli-result';
import type { GlobalOptions } from '../global-options';
import { decodeUtf8, parseJson, readInput } from '../input/read-document';
import { renderRecordOutcome } from '../output/render-outcome';
import { withPlanner } from '../planner-session';

interface ImportLine {
  readonly line: number;
  readonly type: FleetCommandType;
  readonly document: unknown;
}

/** Splits a JSONL file into command documents; any bad line refuses the whole file, naming the line and field. */
export const readImportFile = (bytes: Buffer): ImportLine[] => {
  const lines: ImportLine[] = [];
  let start = 0;
  for (let line = 1; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const text = decodeUtf8(bytes.subarray(start, end), `line ${line}`).replace(/\r$/, '');
    start = end + 1;
    if (text.trim() === '') continue;
    const envelope = parseCommandEnvelope(parseJson(text, `line ${line}`));
    if (!envelope.ok) throw new BadInputError(envelope.error.map((e) => fieldError(`line ${line}: ${e.field}`, e.reason)));
    lines.push({ line, ...envelope.value });
  }
  if (lines.length === 0) throw new BadInputError([fieldError('(input)', 'has no command lines')]);
  return lines;
};

export const importAction = async (global: GlobalOptions, file: string): Promise<CliResult> => {
  const lines = readImportFile(readInput(file));
  const context = { actor: global.actor, now: () => new Date().toISOString() };
  const outcome = await withPlanner(global.db, (p) => p.commands.execute(new RecordFleetCommands(lines, context)));
  return renderRecordOutcome(outcome, (i) => ` at line ${lines[i].line} (${lines[i].type})`);
};
