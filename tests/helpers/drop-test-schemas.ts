// A setup file of the PostgreSQL run (tests/vitest.postgres.mts): after each test file, its schemas
// are dropped (tests/helpers/test-database.ts). Registered before the file's own hooks, this runs
// after them (Vitest runs "after" hooks in reverse order), once its servers and databases are closed.
import { afterAll } from 'vitest';
import { dropTestSchemas } from './test-database';

afterAll(dropTestSchemas);
