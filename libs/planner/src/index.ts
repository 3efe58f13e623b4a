export * from './recording/record-outcome';
export * from './recording/fleet-recorder';
