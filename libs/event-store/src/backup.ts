import type { Db } from './open-database';

/** SQLite's online backup: a consistent copy while writers go on. */
export const backupTo = async (db: Db, destination: string): Promise<{ totalPages: number }> => {
  const { totalPages } = await db.backup(destination);
  return { totalPages };
};
