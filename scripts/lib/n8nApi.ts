/**
 * A small client for a started n8n: the owner set-up and API key (n8n's internal REST API, as the
 * editor does it on a fresh instance) and the public API (`/api/v1`, header `X-N8N-API-KEY`):
 * publishing workflows, executions, Data Table rows.
 *
 * Public API reference: https://docs.n8n.io/api/api-reference/
 */
import { waitFor } from './processes';

/** The scopes the test API key gets: workflows, executions, credentials and Data Tables. */
export const API_KEY_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'execution:delete',
	'execution:retry',
	'execution:stop',
	'credential:create',
	'credential:update',
	'credential:delete',
	'credential:list',
	'dataTable:create',
	'dataTable:read',
	'dataTable:update',
	'dataTable:delete',
	'dataTable:list',
	'dataTableRow:create',
	'dataTableRow:read',
	'dataTableRow:update',
	'dataTableRow:delete',
	'dataTableRow:upsert',
	'dataTableColumn:read',
];

/** The owner account a fresh test instance gets (it never leaves this machine). */
export const OWNER = {
	email: 'owner@hr-sync.test',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'HrSync-Test-0wner!',
};

/** An execution as the public API lists it (`data` only with `includeData`). */
export interface Execution {
	id: string;
	workflowId: string;
	mode: string;
	status: 'new' | 'running' | 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | string;
	finished: boolean;
	startedAt: string | null;
	stoppedAt: string | null;
	data?: {
		resultData: {
			error?: { message: string; description?: string };
			runData: Record<
				string,
				Array<{
					data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: { message: string };
				}>
			>;
		};
	};
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export class N8nApiError extends Error {
	constructor(
		readonly status: number,
		readonly method: string,
		readonly path: string,
		readonly body: string,
	) {
		super(`${method} ${path} answered ${status}: ${body.slice(0, 500)}`);
	}
}

async function send(
	url: string,
	method: string,
	headers: Record<string, string>,
	body?: unknown,
): Promise<Response> {
	return await fetch(url, {
		method,
		headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

/**
 * Creates the owner account on a fresh n8n (`POST /rest/owner/setup`) and an API key with
 * `scopes` (`POST /rest/api-keys`), and returns the raw key. Retries while the REST routes are
 * not mounted yet (404/503 during start-up), up to `timeoutMs`.
 */
export async function createOwnerAndApiKey(
	baseUrl: string,
	scopes = API_KEY_SCOPES,
	timeoutMs = 60_000,
): Promise<string> {
	const setup = await waitFor(
		'the owner set-up endpoint',
		async () => {
			const response = await send(`${baseUrl}/rest/owner/setup`, 'POST', {}, OWNER);
			if (response.status === 404 || response.status === 503) return undefined;
			return response;
		},
		{ timeoutMs, intervalMs: 500 },
	);
	if (!setup.ok)
		throw new N8nApiError(setup.status, 'POST', '/rest/owner/setup', await setup.text());
	const cookie = setup.headers
		.getSetCookie()
		.map((value) => value.split(';')[0])
		.join('; ');
	const created = await send(
		`${baseUrl}/rest/api-keys`,
		'POST',
		{ cookie },
		{ label: 'hr-sync tests', scopes, expiresAt: null },
	);
	const text = await created.text();
	if (!created.ok) throw new N8nApiError(created.status, 'POST', '/rest/api-keys', text);
	return (JSON.parse(text) as { data: { rawApiKey: string } }).data.rawApiKey;
}

/** The public API of one n8n instance (its main process). */
export class N8nApi {
	constructor(
		readonly baseUrl: string,
		private readonly apiKey: string,
	) {}

	/** One public-API call (`path` below `/api/v1`); returns the parsed JSON, throws N8nApiError. */
	async request<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await send(
			`${this.baseUrl}/api/v1${path}`,
			method,
			{ 'X-N8N-API-KEY': this.apiKey, accept: 'application/json' },
			body,
		);
		const text = await response.text();
		if (!response.ok) throw new N8nApiError(response.status, method, path, text);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Every page of a cursor-paged list endpoint (`data`, `nextCursor`). */
	async list<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
		const items: T[] = [];
		let cursor: string | undefined;
		do {
			const params = new URLSearchParams();
			for (const [key, value] of Object.entries({ ...query, cursor }))
				if (value !== undefined) params.set(key, value);
			const page = await this.request<{ data: T[]; nextCursor?: string | null }>(
				'GET',
				`${path}?${params}`,
			);
			items.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return items;
	}

	/** Publishes (activates) the workflow's current version: `POST /workflows/{id}/publish`. */
	async publishWorkflow(workflowId: string): Promise<void> {
		await this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/publish`, {});
	}

	/** Unpublishes (deactivates) a workflow: `POST /workflows/{id}/unpublish`. */
	async unpublishWorkflow(workflowId: string): Promise<void> {
		await this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/unpublish`);
	}

	/** Executions, newest first, optionally of one workflow, with their run data when asked. */
	async executions(
		options: { workflowId?: string; status?: string; includeData?: boolean } = {},
	): Promise<Execution[]> {
		return await this.list<Execution>('/executions', {
			workflowId: options.workflowId,
			status: options.status,
			includeData: options.includeData ? 'true' : undefined,
			limit: '250',
		});
	}

	/** One execution with its run data. */
	async execution(id: string): Promise<Execution> {
		return await this.request<Execution>('GET', `/executions/${id}?includeData=true`);
	}

	/**
	 * Waits until `count` executions of the workflow with an id above `afterId` (numeric order)
	 * have finished (success, error, crashed or canceled) and returns them with their data,
	 * oldest first. Throws after `timeoutMs` (default 120 s) with the statuses seen.
	 */
	async waitForExecutions(
		workflowId: string,
		options: { afterId?: string; count?: number; timeoutMs?: number } = {},
	): Promise<Execution[]> {
		const count = options.count ?? 1;
		let seen: Execution[] = [];
		const finished = await waitFor(
			`${count} finished execution(s) of workflow ${workflowId}`,
			async () => {
				seen = (await this.executions({ workflowId })).filter(
					(execution) => Number(execution.id) > Number(options.afterId ?? 0),
				);
				const done = seen.filter((execution) => FINISHED.has(execution.status));
				return done.length >= count ? done : undefined;
			},
			{
				timeoutMs: options.timeoutMs ?? 120_000,
				intervalMs: 500,
				detail: () => `seen: ${seen.map((e) => `${e.id}:${e.status}`).join(', ') || 'none'}`,
			},
		);
		const oldestFirst = finished.sort((a, b) => Number(a.id) - Number(b.id)).slice(0, count);
		return await Promise.all(oldestFirst.map((execution) => this.execution(execution.id)));
	}

	/** The id of the newest execution of a workflow ('0' when it has none yet). */
	async lastExecutionId(workflowId: string): Promise<string> {
		const [newest] = await this.executions({ workflowId });
		return newest?.id ?? '0';
	}

	/** Data Tables of the instance (`GET /data-tables`). */
	async dataTables(): Promise<Array<{ id: string; name: string }>> {
		return await this.list('/data-tables', { limit: '250' });
	}

	/**
	 * Every row of a Data Table (`GET /data-tables/{id}/rows`), optionally filtered with the
	 * public API's filter object, e.g. `{ type: 'and', filters: [{ columnName, condition: 'eq', value }] }`.
	 */
	async dataTableRows(
		tableId: string,
		filter?: Record<string, unknown>,
	): Promise<Array<Record<string, unknown>>> {
		return await this.list(`/data-tables/${encodeURIComponent(tableId)}/rows`, {
			limit: '250',
			filter: filter ? JSON.stringify(filter) : undefined,
		});
	}
}
