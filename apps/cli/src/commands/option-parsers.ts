import { InvalidArgumentError } from 'commander';

export const parseVersion = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number (the stream version last seen)');
  return Number(value);
};
