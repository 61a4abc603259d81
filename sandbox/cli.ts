/**
 * `npm run sandbox`: starts every sandbox server on loopback and prints how to reach it.
 * Ports: AFAS 3901, HiBob 3902, MobieTrain-style 3903, Declaree-style 3904, Oneteam-style 3905,
 * SCIM 2.0 app 3906, second SCIM 2.0 app (HiBob example) 3907
 * (override with HR_SYNC_<NAME>_PORT, e.g. HR_SYNC_AFAS_PORT=4901). Stops on Ctrl-C.
 */
import { startSandboxes, type Sandboxes } from './index';

/** The GetConnector IDs the AFAS sandbox lists in its `/metainfo`. */
async function listConnectors(url: string, tokenBase64: string): Promise<string[]> {
	const response = await fetch(`${url}/metainfo`, {
		headers: { Authorization: `AfasToken ${tokenBase64}` },
	});
	const body = (await response.json()) as { getConnectors?: Array<{ id: string }> };
	return (body.getConnectors ?? []).map((connector) => connector.id);
}

async function afasLines({ afas }: Sandboxes): Promise<string[]> {
	const connectors = await listConnectors(afas.url, afas.tokenBase64);
	return [
		'AFAS Profit (credential "AFAS Profit API", Connect Using: API Server URL)',
		`  API Server URL : ${afas.url}`,
		`  Token          : ${afas.tokenXml}`,
		`  GetConnectors  : ${connectors.join(', ')}`,
	];
}

function hibobLines({ hibob }: Sandboxes): string[] {
	return [
		'HiBob (credential "HiBob API", Base URL override)',
		`  Base URL        : ${hibob.url}`,
		`  Service user ID : ${hibob.serviceUserId}`,
		`  Token           : ${hibob.token}`,
		`  Webhook secret  : ${hibob.webhookSecret}`,
		`  Control API     : ${hibob.origin}/__mock (clock, employees, webhooks, stats)`,
	];
}

function appLines({ mobietrain, declaree, oneteam }: Sandboxes): string[] {
	return [
		'Apps (HTTP Request nodes with "Header Auth": Authorization = Bearer <token>)',
		`  MobieTrain-style : ${mobietrain.url}  token ${mobietrain.token}`,
		`  Declaree-style   : ${declaree.url}  token ${declaree.token}`,
		`  Oneteam-style    : ${oneteam.url}  token ${oneteam.token}`,
	];
}

function scimLines({ scim, scimHiBob }: Sandboxes): string[] {
	return [
		'SCIM 2.0 app (any SCIM app: Bearer token)',
		`  Base URL : ${scim.url}`,
		`  Token    : ${scim.token}`,
		'Second SCIM 2.0 app (the HiBob → SCIM example writes here)',
		`  Base URL : ${scimHiBob.url}`,
		`  Token    : ${scimHiBob.token}`,
	];
}

async function main(): Promise<void> {
	const sandboxes = await startSandboxes({ fixedPorts: true });
	const sections = [
		await afasLines(sandboxes),
		hibobLines(sandboxes),
		appLines(sandboxes),
		scimLines(sandboxes),
	];
	const lines = ['Sandbox servers are running (Ctrl-C stops them).'];
	for (const section of sections) lines.push('', ...section);
	console.log(lines.join('\n'));
	const stop = () => {
		void sandboxes.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
