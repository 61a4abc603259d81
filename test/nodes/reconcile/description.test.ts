import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RAILS } from '../../../nodes/ReconcileUsers/engine';
import { ReconcileUsers } from '../../../nodes/ReconcileUsers/ReconcileUsers.node';

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

	it('tells the builder that expressions see the first item', () => {
		expect(description.properties[0].displayName).toContain('expressions see the first HR item');
	});
});
