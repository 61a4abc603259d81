/**
 * The app sandboxes under simultaneous writes and lookups of a few people: creates of one user
 * sent at the same moment (also while every write waits, so that they are all in the app
 * together) give exactly one user and answer every other copy 422 naming the external ID; a
 * listing can be narrowed to the users of one person by externalId, email or username.
 */
import { startAppSandbox, type AppSandbox } from '../../../sandbox/apps/server';

let app: AppSandbox;
afterEach(async () => app?.close());

async function post(path: string, body: unknown) {
	const response = await fetch(`${app.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function list(query: string) {
	const response = await fetch(`${app.url}/users?${query}`, {
		headers: { authorization: `Bearer ${app.token}` },
	});
	return (await response.json()) as { data: Array<Record<string, unknown>>; total: number };
}

const joiner = {
	externalId: '3048050201750184834',
	username: 'daan.bakker@acme-hr.example',
	email: 'daan.bakker@acme-hr.example',
	firstName: 'Daan',
	lastName: 'Bakker',
};

describe.each([0, 300])('app sandbox, writes waiting %i ms', (writeLatencyMs) => {
	it('twenty simultaneous creates of one user: one 201, nineteen 422 naming the external ID', async () => {
		app = await startAppSandbox({ style: 'declaree', writeLatencyMs });
		const started = Date.now();
		const answers = await Promise.all(Array.from({ length: 20 }, () => post('/users', joiner)));
		if (writeLatencyMs) expect(Date.now() - started).toBeGreaterThanOrEqual(writeLatencyMs);
		expect(answers.map((answer) => answer.status).sort()).toEqual([
			201,
			...Array<number>(19).fill(422),
		]);
		for (const answer of answers.filter((a) => a.status === 422))
			expect(String((answer.body.error as { message: string }).message)).toContain(
				`externalId "${joiner.externalId}" is already taken`,
			);
		expect(app.collection('users')).toHaveLength(1);
		expect(app.audit().filter((entry) => entry.status === 201)).toHaveLength(1);
	});
});

describe('app sandbox lookups', () => {
	it('narrow a listing to one person by externalId (exactly), email or username (any case)', async () => {
		app = await startAppSandbox({ style: 'declaree' });
		expect((await post('/users', joiner)).status).toBe(201);
		expect(
			(await post('/users', { ...joiner, externalId: '2', username: 'other@acme-hr.example' }))
				.status,
		).toBe(201);
		expect((await list(`externalId=${joiner.externalId}`)).data).toHaveLength(1);
		expect((await list('externalId=30480502017501848')).total).toBe(0);
		expect((await list('email=DAAN.BAKKER@acme-hr.example')).total).toBe(2);
		expect((await list('username=Daan.Bakker@ACME-hr.example')).data).toEqual([
			expect.objectContaining({ externalId: joiner.externalId }),
		]);
		expect((await list('email=nobody@acme-hr.example')).data).toEqual([]);
		expect((await list('')).total).toBe(2);
	});
});
