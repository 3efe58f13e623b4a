import { fieldError } from '@spapr/domain';
import { BadInputError } from '../cli-error';
import { readInput } from '../input/read-document';
import { readImportFile } from './import.action';

/** The hypothetical commands of `what-if FILE.jsonl`, read and checked like an import; nothing is recorded. */
export const readWhatIfFile = (file: string) => {
  try {
    return readImportFile(readInput(file));
  } catch (e) {
    if (e instanceof BadInputError) throw new BadInputError(e.errors.map((x) => fieldError(`what-if ${x.field}`, x.reason)));
    throw e;
  }
};
