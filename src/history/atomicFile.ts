import { promises as fs } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that a reader never sees half of it: write a temp file in the same
 * folder, flush it, then rename over the target (rename is atomic on one file system).
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** Moves a file that could not be read aside, keeping it for the user instead of wiping it. */
export async function setAside(path: string, now = Date.now()): Promise<string> {
  const target = `${path}.corrupt-${now}`;
  await fs.rename(path, target);
  return target;
}
