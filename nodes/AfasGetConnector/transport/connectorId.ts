/**
 * The connector ID a user set on the AFAS nodes (from the list, by ID or from an expression).
 * AFAS puts it in the path of the request (`GET /connectors/<id>`), see
 * https://docs.afas.help/apidoc/nl/GetConnectors, so it cannot hold `/`, `?` or `#`.
 *
 * The check is made here, at run time, rather than as a regex validation of the parameter: n8n
 * 2.40 runs such validations in a sandbox with a 250 ms limit before every execution, and a busy
 * machine can exceed it and fail the run with "Regular expression execution timed out".
 */

/** A usable connector ID, or the error to throw (message and how to fix it). */
export type ConnectorIdCheck = { id: string } | { message: string; description: string };

/** Checks the connector parameter's value: set, and without `/`, `?` or `#` (trimmed). */
export function checkConnectorId(value: unknown): ConnectorIdCheck {
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id)
		return {
			message: 'No connector is set',
			description:
				'Choose a GetConnector from the list, or enter its ID (for example Profit_Employees).',
		};
	if (/[/?#]/.test(id))
		return {
			message: `The connector ID '${id}' holds a /, ? or #`,
			description:
				'Enter the GetConnector ID alone as Profit shows it (for example Profit_Employees), not a URL or a path.',
		};
	return { id };
}
