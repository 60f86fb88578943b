// Direct SQL against the database a project's server uses, to prove pages read the database.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export function sql(project: string, statement: string): void {
  if (project === 'sqlite') {
    const db = path.join(root, 'target', 'e2e', 'portal.db');
    execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', db, statement]);
  } else {
    const admin = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = admin.replace(/\/[^/]*$/, '/uhd_e2e');
    execFileSync('psql', [url, '-q', '-c', statement]);
  }
}
