import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core's InstanceSettings writes ~/.n8n/config on first use: keep tests out of $HOME.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'hr-sync-jest-'));
}

// The in-process engine logs node errors to the console; tests assert on them instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
