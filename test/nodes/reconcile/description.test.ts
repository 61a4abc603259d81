import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RAILS, reconcile } from '../../../nodes/ReconcileUsers/engine';
import {
	OUTPUT_INDEX,
	PLAN_OUTPUTS,
	planOnlyOutputs,
	routedOutputs,
} from '../../../nodes/ReconcileUsers/outputs';
import { ReconcileUsers } from '../../../nodes/ReconcileUsers/ReconcileUsers.node';
import { afasRow, mobieUser, peopleConfig } from '../../engine/fixtures';

describe('Reconcile Users description', () => {
	const { description } = new ReconcileUsers();

	it('has two inputs named HR and App and seven named outputs, Plan last', () => {
		expect(description.inputs).toHaveLength(2);
		expect(description.inputNames).toEqual(['HR', 'App']);
		expect(description.outputNames).toEqual([
			'Create',
			'Update',
			'Deactivate/Remove',
			'Unchanged',
			'Conflicts',
			'Create First',
			'Plan',
		]);
		expect(description.outputs).toHaveLength(7);
	});

	it('shows the engine’s safety rail defaults in the UI', () => {
		const rails = description.properties.find((property) => property.name === 'rails')!;
		const defaults = Object.fromEntries(
			(rails.options as INodeProperties[]).map((option) => [option.name, option.default]),
		);
		expect(defaults).toEqual({ ...DEFAULT_RAILS, onTrip: 'fail' });
	});

	it('offers Scope in both modes, Everyone by default', () => {
		const scope = description.properties.find((property) => property.name === 'scope')!;
		expect(scope.displayOptions).toBeUndefined();
		expect(scope.default).toBe('everyone');
		expect(scope.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'everyone',
			'inputOnly',
		]);
	});

	it('offers every comparison kind in the custom rows, Automatic by default', () => {
		const rows = description.properties.find((property) => property.name === 'appFields')!;
		const values = (rows.options as Array<{ values: INodeProperties[] }>)[0].values;
		const compare = values.find((value) => value.name === 'compare')!;
		expect(compare.default).toBe('auto');
		expect(compare.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'auto',
			'boolean',
			'date',
			'dateTime',
			'email',
			'set',
			'number',
			'text',
		]);
		expect(values.find((value) => value.name === 'identity')?.default).toBe(false);
	});

	it('tells the builder that expressions see the first item', () => {
		expect(description.properties[0].displayName).toContain('expressions see the first HR item');
	});

	it('shows each setting only where it applies (display rules)', () => {
		const show = (name: string) =>
			description.properties.find((property) => property.name === name)?.displayOptions?.show;
		expect(show('source')).toEqual({ mode: ['people'] });
		expect(show('hrFields')).toEqual({ mode: ['people'], source: ['custom'] });
		expect(show('appIdField')).toEqual({ mode: ['people'], target: ['custom'] });
		expect(show('appStatusField')).toEqual({
			mode: ['people'],
			target: ['custom'],
			appStatusType: ['enum', 'boolean'],
		});
		for (const name of ['statusActive', 'statusInvited', 'statusDeactivated', 'appInvitedAtField'])
			expect(show(name)).toEqual({
				mode: ['people'],
				target: ['custom'],
				appStatusType: ['enum'],
			});
		expect(show('peopleOptions')).toEqual({ mode: ['people'] });
		expect(show('recordKind')).toEqual({ mode: ['records'] });
		expect(show('dryRun')).toBeUndefined();
	});
});

describe('Reconcile Users outputs, from one list', () => {
	const result = reconcile(
		[afasRow('1'), afasRow('2', { lastName: 'Moved' }), afasRow('3')],
		[mobieUser('1'), mobieUser('2'), mobieUser('9', { externalId: null })],
		peopleConfig(),
	);
	const summary = { json: { action: 'summary' } };

	it('derives the outputs, their names and their indexes from the list', () => {
		const { description } = new ReconcileUsers();
		expect(description.outputs).toHaveLength(PLAN_OUTPUTS.length);
		expect(description.outputNames).toEqual(PLAN_OUTPUTS.map((output) => output.displayName));
		PLAN_OUTPUTS.forEach((output, index) => expect(OUTPUT_INDEX[output.key]).toBe(index));
	});

	it('routes each list of the plan to the output of the same key', () => {
		const outputs = routedOutputs(result, summary);
		expect(outputs).toHaveLength(PLAN_OUTPUTS.length);
		expect(outputs[OUTPUT_INDEX.create].map((item) => item.json.action)).toEqual(['create']);
		expect(outputs[OUTPUT_INDEX.update].map((item) => item.json.action)).toEqual(['update']);
		expect(outputs[OUTPUT_INDEX.unchanged].map((item) => item.json.action)).toEqual([
			'unchanged',
			'ignore',
		]);
		expect(outputs[OUTPUT_INDEX.plan]).toEqual([summary]);
	});

	it('puts everything on the Plan output on a dry run, summary first', () => {
		const outputs = planOnlyOutputs(result, summary);
		expect(outputs.map((items) => items.length)).toEqual([0, 0, 0, 0, 0, 0, 5]);
		expect(outputs[OUTPUT_INDEX.plan].map((item) => item.json.action)).toEqual([
			'summary',
			'create',
			'update',
			'unchanged',
			'ignore',
		]);
	});
});
