import { reconcile } from '../../nodes/ReconcileUsers/engine';
import { generateData } from '../../scripts/bench/reconcileData';

// Correctness on benchmark-sized data (timing lives in `npm run bench`, not here).
describe('reconcile at 20,000 users per side', () => {
	it('finds exactly the joiners, movers and leavers the generator planted', () => {
		const { hr, app, expected } = generateData(20_000, 7);
		const plan = reconcile(hr, app, {
			source: 'afasMobieTrain',
			target: 'mobieTrain',
			asOf: '2026-04-01',
			timeZone: 'Europe/Amsterdam',
			rails: { maxRemovals: 10_000 },
		});
		expect(plan.blocked).toBeNull();
		expect(plan.summary.counts).toMatchObject({
			create: expected.joiners,
			update: expected.movers,
			deactivate: expected.appOnly + expected.ended,
			conflict: 0,
			createFirst: 0,
		});
		expect(plan.summary.counts.unchanged).toBe(
			hr.length - expected.joiners - expected.movers - expected.ended,
		);
		expect(
			plan.update.every(
				(item) => item.changes.map((change) => change.field).join() === 'jobDescription,groups',
			),
		).toBe(true);
	});
});
