import { InvalidArgumentError } from 'commander';
import { AsOf, parseAsOf } from '@spapr/planner';

export const parseVersion = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number (the stream version last seen)');
  return Number(value);
};

export const parseAsOfOption = (value: string): AsOf => {
  const parsed = parseAsOf(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.error.reason);
  return parsed.value;
};
