/**
 * The node's output items as values a workflow can change: every item has its own HR record,
 * changes and pairedItem (nothing shared between items or frozen), and only the record's own
 * fields are copied.
 */
import type { IDataObject } from 'n8n-workflow';

import { routedOutputs, summaryItem } from '../../../nodes/ReconcileUsers/outputs';
import { runNode } from '../../helpers/n8n';
import { afasRow, mobieUser, plan } from '../../engine/fixtures';

const AS_OF = '2026-04-01';

// Unchanged, moved (into a new group: a create-first item), left and new people: items with
// and without changes.
const hr = [
	afasRow('1'),
	afasRow('2'),
	afasRow('3', { lastName: 'Moved', functionId: 'F02' }),
	afasRow('4', { employementEndDate: '2026-01-31T00:00:00Z' }),
	afasRow('5'),
];
const app = [mobieUser('1'), mobieUser('2'), mobieUser('3'), mobieUser('4'), mobieUser('9')];

describe('Reconcile Users output items', () => {
	it('each item has its own HR record, changes list and pairedItem, none frozen', async () => {
		const result = await runNode({
			type: 'reconcileUsers',
			parameters: { referenceDate: AS_OF, rails: { maxRemovalPercent: 100 } },
			inputs: [hr, app] as IDataObject[][],
		});
		expect(result.status).toBe('success');
		const items = result.outputs.slice(0, 6).flat();
		expect(items.map((item) => item.json.action).sort()).toEqual(
			[
				'create',
				'createFirst',
				'deactivate',
				'deactivate',
				'unchanged',
				'unchanged',
				'update',
			].sort(),
		);
		const records = items.map((item) => item.json.hr).filter((record) => record !== null);
		const changes = items.map((item) => item.json.changes as IDataObject[]);
		const paired = items.map((item) => item.pairedItem);
		for (const list of [records, changes, paired]) {
			expect(new Set(list).size).toBe(list.length);
			for (const value of list) expect(Object.isFrozen(value)).toBe(false);
		}
		// A Code node may add to an item's changes without touching another item.
		changes[0].push({ field: 'note', from: null, to: 'added downstream' });
		expect(changes.filter((list) => list.some((change) => change.field === 'note'))).toHaveLength(
			1,
		);
	});

	it('copies only the HR record’s own fields, whatever Object.prototype holds', () => {
		const result = plan(hr, app, { rails: { maxRemovalPercent: 100 } });
		const summary = summaryItem(result, {
			dryRun: false,
			timeZone: 'UTC',
			hrCount: hr.length,
			appCount: app.length,
		});
		const prototype = Object.prototype as Record<string, unknown>;
		// Some library added an enumerable property to every object (prototype pollution).
		prototype.addedByALibrary = 'not a field';
		let outputs;
		try {
			outputs = routedOutputs(result, summary);
		} finally {
			delete prototype.addedByALibrary;
		}
		const records = outputs
			.slice(0, 6)
			.flat()
			.map((item) => item.json.hr as IDataObject | null)
			.filter((record) => record !== null);
		expect(records.length).toBeGreaterThan(0);
		for (const record of records) {
			expect(Object.keys(record)).not.toContain('addedByALibrary');
			expect(Object.keys(record)).toEqual(
				Object.keys(result.update[0].hr!).filter(
					(key) => (result.update[0].hr as IDataObject)[key] !== undefined,
				),
			);
		}
	});
});
