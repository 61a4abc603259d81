/**
 * The shipped example workflows (workflows-examples/*.json), wired to the sandbox servers inside a
 * real n8n: credentials that point at the sandboxes, app URLs rewritten when the sandboxes run on
 * other ports than the defaults the examples carry. Shared by the real-n8n tests and the demo.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandboxes } from '../../sandbox';
import { DEFAULT_PORTS } from '../../sandbox';
import type { ExecutionResult, RealN8n } from './realN8n';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'workflows-examples');

export interface ExampleWorkflow {
	file: string;
	id: string;
	name: string;
	json: Record<string, unknown> & {
		id: string;
		name: string;
		nodes: Array<Record<string, unknown>>;
	};
}

export function loadExamples(): ExampleWorkflow[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const json = JSON.parse(
				readFileSync(join(EXAMPLES_DIR, file), 'utf8'),
			) as ExampleWorkflow['json'];
			return { file, id: json.id, name: json.name, json };
		});
}

/** The credentials the examples reference (by id), filled in for the sandboxes. */
export function sandboxCredentials(sandboxes: Sandboxes) {
	const header = (token: string) => ({ name: 'Authorization', value: `Bearer ${token}` });
	return [
		{
			id: 'afasProfitApi',
			name: 'AFAS Profit',
			type: 'afasApi',
			data: { connectUsing: 'url', url: sandboxes.afas.url, token: sandboxes.afas.tokenXml },
		},
		{
			id: 'hiBobApi',
			name: 'HiBob',
			type: 'hiBobApi',
			data: {
				serviceUserId: sandboxes.hibob.serviceUserId,
				token: sandboxes.hibob.token,
				baseUrlOverride: sandboxes.hibob.url,
				webhookSecret: sandboxes.hibob.webhookSecret,
			},
		},
		{
			id: 'mobieTrainApi',
			name: 'MobieTrain API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.mobietrain.token),
		},
		{
			id: 'declareeApi',
			name: 'Declaree API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.declaree.token),
		},
		{
			id: 'oneteamApi',
			name: 'Oneteam API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.oneteam.token),
		},
	];
}

/** Rewrites the default sandbox addresses in an example to where the sandboxes really run. */
export function pointAtSandboxes(
	example: ExampleWorkflow,
	sandboxes: Sandboxes,
): ExampleWorkflow['json'] {
	let text = JSON.stringify(example.json);
	const actual: Record<string, string> = {
		[`http://127.0.0.1:${DEFAULT_PORTS.mobietrain}/api/v1`]: sandboxes.mobietrain.url,
		[`http://127.0.0.1:${DEFAULT_PORTS.declaree}/api`]: sandboxes.declaree.url,
		[`http://127.0.0.1:${DEFAULT_PORTS.oneteam}/api`]: sandboxes.oneteam.url,
	};
	for (const [from, to] of Object.entries(actual)) text = text.split(from).join(to);
	return JSON.parse(text) as ExampleWorkflow['json'];
}

export async function importExamples(
	n8n: RealN8n,
	sandboxes: Sandboxes,
): Promise<ExampleWorkflow[]> {
	const examples = loadExamples();
	await n8n.importCredentials(sandboxCredentials(sandboxes));
	for (const example of examples) await n8n.importWorkflow(pointAtSandboxes(example, sandboxes));
	return examples;
}

/** The calendar day before an ISO date ('2026-11-24' → '2026-11-23'): a leaver's last day "yesterday". */
export function dayBefore(isoDate: string): string {
	return new Date(Date.parse(`${isoDate}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The summary item of a Reconcile Users node (its Plan output) in an execution. */
export function reconcileSummary(
	execution: ExecutionResult,
	nodeName = 'Reconcile Users',
): Record<string, unknown> | undefined {
	const runs = execution.run?.data.resultData.runData[nodeName];
	const planOutput = runs?.[0]?.data?.main?.[6] ?? [];
	return planOutput.map((item) => item.json).find((json) => json.action === 'summary');
}
