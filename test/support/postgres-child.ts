/**
 * A process that starts a test PostgreSQL server, prints its data dir, and waits to be killed:
 * test/pg-server.test.ts kills it (SIGKILL too) and checks the server goes with it.
 */
import { startPostgres } from './postgres.js';

const server = await startPostgres();
process.stdout.write(`${JSON.stringify({ dir: server.dir, url: server.url })}\n`);
// Kept alive until killed; a ref'd timer, as the server's own handles are not.
setInterval(() => {}, 60_000);
