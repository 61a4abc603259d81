/**
 * The pure parts of Sync Audit: reading a failed write (HTTP Request's error items, as n8n
 * 2.40 produces them for versions 4.2 and 4.5), rows for records, createFirst items and group
 * memberships, and the failure streaks of the run report.
 */
import {
	bodyMessage,
	describeFailure,
	existsAlreadyAnswer,
	maskSecrets,
} from '../../../nodes/SyncAudit/audit/failure';
import { runReport, nextStreaks } from '../../../nodes/SyncAudit/audit/report';
import { auditRow, changesColumns, stepRows, subjectOf } from '../../../nodes/SyncAudit/audit/rows';
import type { PlanItemJson, RunContext, Step } from '../../../nodes/SyncAudit/audit/types';

const CONTEXT: RunContext = {
	time: '2026-04-01T06:00:00.000Z',
	workflow: 'AFAS → Oneteam',
	executionId: '42',
	hrSystem: 'AFAS',
	app: 'Oneteam',
};

// The JSON of HTTP Request error items for a 422 (taken from a run in n8n 2.40.7; the stack is cut).
const body = {
	error: { code: 'validation_failed', message: 'Validation failed: enabled must be a boolean' },
};
const v42 = {
	action: 'update',
	appId: 'use_1',
	error: {
		message: `422 - ${JSON.stringify(JSON.stringify(body))}`,
		name: 'AxiosError',
		stack: 'AxiosError: Request failed with status code 422\n    at settle (axios.cjs:2199:12)',
		code: 'ERR_BAD_REQUEST',
		status: 422,
	},
};
const v45 = {
	...v42,
	details: {
		message: 'Your request is invalid or could not be processed by the service',
		description: 'Validation failed: enabled must be a boolean',
		httpCode: '422',
		body,
		context: { itemIndex: 1 },
	},
};

describe('describeFailure', () => {
	it('reads the status and the app’s message from HTTP Request 4.2 and 4.5 error items', () => {
		const expected = { status: 422, message: 'Validation failed: enabled must be a boolean' };
		expect(describeFailure(v42)).toEqual(expected);
		expect(describeFailure(v45)).toEqual(expected);
	});

	it('reads NodeApiError-style errors and failures without an HTTP answer', () => {
		expect(
			describeFailure({}, { httpCode: '503', description: 'Service unavailable', message: 'x' }),
		).toEqual({ status: 503, message: 'Service unavailable' });
		expect(
			describeFailure({
				error: { message: 'connect ECONNREFUSED 127.0.0.1:3903', code: 'ECONNREFUSED' },
			}),
		).toEqual({ status: null, message: 'connect ECONNREFUSED 127.0.0.1:3903' });
	});

	it('knows the usual error body shapes', () => {
		expect(bodyMessage({ detail: 'User not found', status: '404' })).toBe('User not found');
		expect(bodyMessage({ errors: [{ message: 'email is taken' }] })).toBe('email is taken');
		expect(bodyMessage({ error: 'invalid_grant', error_description: 'x' })).toBe('invalid_grant');
		expect(bodyMessage('Bad Gateway')).toBe('Bad Gateway');
	});

	it('never keeps a credential, and bounds the message', () => {
		const secret = 'mobietrain-sandbox-token';
		const message = describeFailure({
			error: {
				message: `401 - ${JSON.stringify(JSON.stringify({ message: `Bearer ${secret} is not valid; token=${secret}` }))}`,
			},
		}).message;
		expect(message).not.toContain(secret);
		expect(message).toBe('Bearer [hidden] is not valid; token=[hidden]');
		expect(maskSecrets('{"password":"hunter22","user":"a"}')).toBe(
			'{"password":[hidden],"user":"a"}',
		);
		expect(describeFailure({ error: { message: 'x'.repeat(2000) } }).message).toHaveLength(500);
	});

	it('hides a token the app quotes, names in a header, or sends as a JSON Web Token', () => {
		const secret = 'mobietrain-sandbox-token';
		const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
		const messages = [
			`API token "${secret}" is not valid for this tenant`,
			`Request header x-api-key: ${secret} refused`,
			`client-secret='${secret}' expired`,
			`session ${jwt} expired`,
		];
		expect(messages.map(maskSecrets)).toEqual([
			'API token [hidden] is not valid for this tenant',
			'Request header x-api-key: [hidden] refused',
			'client-secret=[hidden] expired',
			'session [hidden] expired',
		]);
		const item = {
			error: {
				message: `422 - ${JSON.stringify(JSON.stringify({ message: messages[0] }))}`,
				status: 422,
			},
		};
		expect(describeFailure(item)).toEqual({ status: 422, message: messages.map(maskSecrets)[0] });
	});

	it('keeps advice that names an auth scheme, and still hides the secret after it', () => {
		const advice =
			'Check the Token (Bearer Token), the Username and Password (Basic Auth). The app said: token rejected';
		expect(maskSecrets(advice)).toBe(advice);
		expect(maskSecrets('we got Basic c3ZjOnB3')).toBe('we got Basic [hidden]');
		expect(maskSecrets('Bearer abcdefghijklmnopqrstuvwx')).toBe('Bearer [hidden]');
	});
});

describe('audit rows', () => {
	const recordsStep: Step = {
		name: 'Reconcile communities',
		mode: 'records',
		dryRun: false,
		blocked: null,
		recordKey: 'externalId',
		items: [],
	};

	it('names records by their key and createFirst items by kind and key', () => {
		expect(
			subjectOf(
				{ action: 'update', hr: { externalId: 'C7', name: 'Breda' }, app: null },
				recordsStep,
			),
		).toEqual({ external_id: null, email: null, display_name: 'Breda', record_key: 'C7' });
		expect(
			subjectOf(
				{ action: 'createFirst', kind: 'group', payload: { externalId: 'F09', name: 'Buyer' } },
				{ mode: 'people' },
			),
		).toEqual({ external_id: null, email: null, display_name: 'Buyer', record_key: 'group F09' });
	});

	it('names SCIM groups by displayName and records membership changes by group, with the people in it', () => {
		const peopleStep: Step = { ...recordsStep, name: 'Reconcile Users', mode: 'people' };
		const group = { id: 'g-1', displayName: 'Chauffeur', externalId: 'F07', from: 'job' };
		const schemas = ['urn:ietf:params:scim:schemas:core:2.0:Group'];
		const createFirst = {
			action: 'createFirst',
			kind: 'group',
			group: { ...group, id: null },
			payload: { schemas, displayName: 'Chauffeur', externalId: 'F07' },
		};
		expect(auditRow(CONTEXT, peopleStep, createFirst, { outcome: 'done' })).toMatchObject({
			display_name: 'Chauffeur',
			record_key: 'group F07',
			changes: 'displayName: Chauffeur; externalId: F07',
		});
		const membership = (action: string) => ({
			action,
			group,
			groupId: 'g-1',
			memberIds: ['u-1', 'u-2'],
			members: [
				{ appId: 'u-1', hrIndex: 0, externalId: '000001', email: 'a@example.com' },
				{ appId: 'u-2', hrIndex: 3, externalId: null, email: 'b@example.com' },
			],
			app: { schemas, id: 'g-1', displayName: 'Chauffeur', externalId: 'F07', members: [] },
			appId: null,
			changes: [],
			payload: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] },
		});
		expect(
			auditRow(CONTEXT, peopleStep, membership('groupAdd'), { outcome: 'done', appId: 'g-1' }),
		).toMatchObject({
			external_id: null,
			email: null,
			display_name: 'Chauffeur',
			record_key: 'group F07',
			app_id: 'g-1',
			changes: 'members added: [000001, b@example.com]',
		});
		expect(
			auditRow(CONTEXT, peopleStep, membership('groupRemove'), { outcome: 'done' }).changes,
		).toBe('members removed: [000001, b@example.com]');
	});

	it('shows changes readably and keeps the JSON valid when it is cut', () => {
		expect(changesColumns([{ field: 'groups', from: ['F01'], to: [] }]).changes).toBe(
			'groups: [F01] → []',
		);
		const many = Array.from({ length: 500 }, (_, i) => ({
			field: `f${i}`,
			from: 'x'.repeat(20),
			to: 'y'.repeat(20),
		}));
		const { changes, changes_json } = changesColumns(many);
		expect(changes!.length).toBeLessThanOrEqual(2000);
		expect(JSON.parse(changes_json!).at(-1)).toEqual({ truncated: expect.any(Number) });
	});

	it('marks an operation without any write answer as needing attention', () => {
		const item: PlanItemJson = {
			action: 'remove',
			appId: 'c1',
			hr: null,
			app: { externalId: 'C1' },
		};
		const [row] = stepRows(CONTEXT, { ...recordsStep, items: [item] }, new Map());
		expect(row).toMatchObject({ action: 'remove', record_key: 'C1', outcome: 'needs attention' });
		expect(row.message).toMatch(/^No write result reached Sync Audit/);
	});
});

describe('failure streaks', () => {
	const step: Step = {
		name: 'Reconcile Users',
		mode: 'people',
		dryRun: false,
		blocked: null,
		items: [],
	};
	const failing = (id: string): PlanItemJson => ({
		action: 'create',
		hr: { externalId: id, firstName: 'P', lastName: id },
	});
	const failed = { ok: false, status: 500, message: 'down', appId: null };

	it('counts consecutive failed runs per person and forgets those who succeed', () => {
		const items = [failing('1'), failing('2')];
		const rows = stepRows(
			CONTEXT,
			{ ...step, items },
			new Map(items.map((item) => [item, [failed]])),
		);
		const first = runReport(CONTEXT, [step], rows, {});
		expect(first.streaks).toEqual({ 'Reconcile Users|1': 1, 'Reconcile Users|2': 1 });
		expect(first.run.repeat_failures).toBeNull();
		const second = runReport(CONTEXT, [step], rows.slice(0, 1), first.streaks);
		expect(second.streaks).toEqual({ 'Reconcile Users|1': 2 });
		expect(second.run.repeat_failures).toBe('P 1 (1): failed 2 runs in a row');
		expect(nextStreaks(second.streaks, [])).toEqual({});
	});

	it('keeps the streaks as they were after a dry run', () => {
		const dry = runReport(CONTEXT, [{ ...step, dryRun: true }], [], { 'Reconcile Users|1': 3 });
		expect(dry.streaks).toEqual({ 'Reconcile Users|1': 3 });
		expect(dry.run).toMatchObject({ outcome: 'dry run', dry_run: true, planned: 0 });
	});
});

describe('existsAlreadyAnswer', () => {
	it('is true when a 400, 409 or 422 names the record’s own key as existing', () => {
		for (const status of [400, 409, 422])
			expect(
				existsAlreadyAnswer(status, 'Validation failed: externalId "3048" is already taken', [
					'3048',
				]),
			).toBe(true);
		expect(existsAlreadyAnswer(409, 'User with externalId 000123 exists', ['000123'])).toBe(true);
		expect(existsAlreadyAnswer(422, 'Duplicate key: ABC-1', ['abc-1'])).toBe(true);
	});

	it('is false for other statuses, other words, other keys and parts of keys', () => {
		const taken = 'Validation failed: externalId "3048" is already taken';
		expect(existsAlreadyAnswer(500, taken, ['3048'])).toBe(false);
		expect(existsAlreadyAnswer(null, taken, ['3048'])).toBe(false);
		expect(existsAlreadyAnswer(422, 'externalId "3048" must be a string', ['3048'])).toBe(false);
		expect(
			existsAlreadyAnswer(422, 'Validation failed: email "a@b.nl" is already taken', ['3048']),
		).toBe(false);
		expect(existsAlreadyAnswer(422, 'externalId "13048" is already taken', ['3048'])).toBe(false);
		expect(existsAlreadyAnswer(422, taken, [])).toBe(false);
		expect(existsAlreadyAnswer(422, taken, [' ', null, undefined])).toBe(false);
	});

	it('is false when a short external ID only occurs in another value or as a count', () => {
		// Another person holds the e-mail address: a real conflict, whatever the external ID is.
		const email = 'Validation failed: email "1001@store.example" is already taken';
		expect(existsAlreadyAnswer(422, email, ['1001'])).toBe(false);
		expect(
			existsAlreadyAnswer(409, 'User with userName jan.12@corp.nl already exists', ['12']),
		).toBe(false);
		expect(
			existsAlreadyAnswer(422, 'Validation failed: 2 errors: email is already taken', ['2']),
		).toBe(false);
		// Quoted, or after a name ending in id or key, it is named.
		expect(existsAlreadyAnswer(422, "external_id='77' already exists", ['77'])).toBe(true);
		expect(existsAlreadyAnswer(409, 'id: 12 is taken', ['12'])).toBe(true);
	});
});
