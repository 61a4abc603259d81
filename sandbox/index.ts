/**
 * Starts every sandbox server on loopback: on fixed ports for `npm run sandbox` and `npm run demo`,
 * on free ports for the tests. The apps start empty; AFAS and HiBob start with their generated
 * companies.
 *
 * To add a server: add it to `Sandboxes`, give it a port in `DEFAULT_PORTS` and a starter in
 * `STARTERS`. `startSandboxes`, `close()` and the `HR_SYNC_<NAME>_PORT` override then include it.
 */
import { startAfasSandbox, type AfasSandbox } from './afas/server';
import { startAppSandbox, type AppSandbox } from './apps/server';
import { startHiBobSandbox, type HiBobSandbox } from './hibob/server';
import { startScimSandbox, type ScimSandbox } from './scim/server';

/** The running servers by name, and one `close()` for all of them. */
export interface Sandboxes {
	afas: AfasSandbox;
	hibob: HiBobSandbox;
	mobietrain: AppSandbox;
	declaree: AppSandbox;
	oneteam: AppSandbox;
	/** Any SCIM 2.0 app (Users with the enterprise extension, Groups). */
	scim: ScimSandbox;
	/**
	 * A second SCIM 2.0 app with its own users and token, for the HiBob → SCIM example: each
	 * example writes to an app of its own, so examples can run at the same time.
	 */
	scimHiBob: ScimSandbox;
	/** Stops every server. */
	close(): Promise<void>;
}

type Servers = Omit<Sandboxes, 'close'>;
export type SandboxName = keyof Servers;

/** The fixed loopback ports, in start order; `HR_SYNC_<NAME>_PORT` overrides one. */
export const DEFAULT_PORTS: Record<SandboxName, number> = {
	afas: 3901,
	hibob: 3902,
	mobietrain: 3903,
	declaree: 3904,
	oneteam: 3905,
	scim: 3906,
	scimHiBob: 3907,
};

export interface StartSandboxesOptions {
	/** true (default): DEFAULT_PORTS and their overrides; false: the OS picks free ports (tests). */
	fixedPorts?: boolean;
	/** ISO date-time for the clocks that can be set (HiBob); default: the real time. */
	now?: string;
}

type Starter<Name extends SandboxName> = (
	port: number,
	options: StartSandboxesOptions,
) => Promise<Servers[Name]>;

/** How each server starts on a given port. */
const STARTERS: { [Name in SandboxName]: Starter<Name> } = {
	afas: (port) => startAfasSandbox({ port, employeeCount: 1200 }),
	hibob: (port, { now }) => startHiBobSandbox({ port, ...(now ? { now } : {}) }),
	mobietrain: (port) => startAppSandbox({ style: 'mobietrain', port }),
	declaree: (port) => startAppSandbox({ style: 'declaree', port }),
	oneteam: (port) => startAppSandbox({ style: 'oneteam', port }),
	scim: (port) => startScimSandbox({ port }),
	scimHiBob: (port) => startScimSandbox({ port, token: 'scim-hibob-sandbox-token' }),
};

/**
 * The port for a server: 0 (free) without fixed ports, else `HR_SYNC_<NAME>_PORT` or the default.
 * Throws when the variable is not a port number.
 */
function portFor(name: SandboxName, fixedPorts: boolean): number {
	if (!fixedPorts) return 0;
	const variable = `HR_SYNC_${name.toUpperCase()}_PORT`;
	const fromEnv = process.env[variable];
	if (!fromEnv) return DEFAULT_PORTS[name];
	const port = Number(fromEnv);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`${variable} must be a port number (0-65535), not "${fromEnv}"`);
	return port;
}

/** The server names in start order. */
const SANDBOX_NAMES = Object.keys(DEFAULT_PORTS) as SandboxName[];

/** Starts one server and puts it into `servers` under its name. */
async function startInto<Name extends SandboxName>(
	servers: Partial<Servers>,
	name: Name,
	options: StartSandboxesOptions,
): Promise<Servers[Name]> {
	const starter: Starter<Name> = STARTERS[name];
	const server = await starter(portFor(name, options.fixedPorts ?? true), options);
	servers[name] = server;
	return server;
}

function allStarted(servers: Partial<Servers>): servers is Servers {
	return SANDBOX_NAMES.every((name) => servers[name] !== undefined);
}

/**
 * Starts every server, one after the other in `DEFAULT_PORTS` order. If one fails to start, the
 * ones already running are stopped and the error is thrown.
 */
export async function startSandboxes(options: StartSandboxesOptions = {}): Promise<Sandboxes> {
	const servers: Partial<Servers> = {};
	const closeAll = async () => {
		await Promise.all(Object.values(servers).map((server) => server.close()));
	};
	try {
		for (const name of SANDBOX_NAMES) await startInto(servers, name, options);
	} catch (error) {
		await closeAll();
		throw error;
	}
	if (!allStarted(servers)) throw new Error('A sandbox server has no starter');
	return { ...servers, close: closeAll };
}
