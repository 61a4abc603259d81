import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../nodes/shared/descriptions';

describe('updateDisplayOptions', () => {
	const plain: INodeProperties = { displayName: 'A', name: 'a', type: 'string', default: '' };
	const shown: INodeProperties = {
		displayName: 'B',
		name: 'b',
		type: 'string',
		default: '',
		displayOptions: { show: { target: ['custom'] }, hide: { dryRun: [true] } },
	};

	it('adds the conditions to every property and keeps each property’s own', () => {
		const [a, b] = updateDisplayOptions({ show: { mode: ['people'] } }, [plain, shown]);
		expect(a.displayOptions).toEqual({ show: { mode: ['people'] } });
		expect(b.displayOptions).toEqual({
			show: { target: ['custom'], mode: ['people'] },
			hide: { dryRun: [true] },
		});
	});

	it('nests: an inner group’s conditions survive the outer one', () => {
		const [b] = updateDisplayOptions({ show: { mode: ['people'] } }, [
			...updateDisplayOptions({ show: { appStatusType: ['enum'] } }, [shown]),
		]);
		expect(b.displayOptions?.show).toEqual({
			target: ['custom'],
			appStatusType: ['enum'],
			mode: ['people'],
		});
	});

	it('gives a condition both have the new values, and leaves the given properties unchanged', () => {
		const [b] = updateDisplayOptions({ show: { target: ['oneteam'] } }, [shown]);
		expect(b.displayOptions?.show).toEqual({ target: ['oneteam'] });
		expect(shown.displayOptions?.show).toEqual({ target: ['custom'] });
		expect(b).not.toBe(shown);
	});
});
