import { fieldError } from '@spapr/domain';
import { describeOv5, formatOv5Description } from '@spapr/domain/cas';
import { BadInputError, EXIT } from '../cli-error';
import type { CliResult } from '../cli-result';

/** `decode-ov5 HEX`: every feature `ibm,architecture-vec-5` sets, by name (no store needed). */
export const decodeOv5Action = async (hex: string): Promise<CliResult> => {
  const described = describeOv5(hex);
  if (!described.ok) throw new BadInputError([fieldError('HEX', described.reason)]);
  return { exitCode: EXIT.ok, json: described.description, human: formatOv5Description(described.description).join('\n') };
};
