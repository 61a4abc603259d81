/**
 * Starts every sandbox server on fixed loopback ports (for `npm run sandbox` and `npm run demo`)
 * and seeds the apps with a realistic "second day" state: users that exist already, some with
 * stale data, a leaver, an admin without an external ID, and an invitation older than 6 months.
 */
import { startAfasSandbox, type AfasSandbox } from './afas/server';
import { startAppSandbox, type AppSandbox } from './apps/server';
import { startHiBobSandbox, type HiBobSandbox } from './hibob/server';

export const DEFAULT_PORTS = {
	afas: 3901,
	hibob: 3902,
	mobietrain: 3903,
	declaree: 3904,
	oneteam: 3905,
};

export interface Sandboxes {
	afas: AfasSandbox;
	hibob: HiBobSandbox;
	mobietrain: AppSandbox;
	declaree: AppSandbox;
	oneteam: AppSandbox;
	close(): Promise<void>;
}

function port(name: keyof typeof DEFAULT_PORTS, usePorts: boolean): number {
	if (!usePorts) return 0;
	const fromEnv = process.env[`HR_SYNC_${name.toUpperCase()}_PORT`];
	return fromEnv ? Number(fromEnv) : DEFAULT_PORTS[name];
}

/** Starts all sandboxes; `fixedPorts: false` lets the OS choose (tests). */
export async function startSandboxes(
	options: { fixedPorts?: boolean; now?: string } = {},
): Promise<Sandboxes> {
	const fixed = options.fixedPorts ?? true;
	const afas = await startAfasSandbox({ port: port('afas', fixed), employeeCount: 1200 });
	const hibob = await startHiBobSandbox({
		port: port('hibob', fixed),
		...(options.now ? { now: options.now } : {}),
	});
	const mobietrain = await startAppSandbox({
		style: 'mobietrain',
		port: port('mobietrain', fixed),
	});
	const declaree = await startAppSandbox({ style: 'declaree', port: port('declaree', fixed) });
	const oneteam = await startAppSandbox({ style: 'oneteam', port: port('oneteam', fixed) });
	return {
		afas,
		hibob,
		mobietrain,
		declaree,
		oneteam,
		async close() {
			await Promise.all([
				afas.close(),
				hibob.close(),
				mobietrain.close(),
				declaree.close(),
				oneteam.close(),
			]);
		},
	};
}
