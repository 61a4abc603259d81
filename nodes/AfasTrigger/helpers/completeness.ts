/**
 * Whether one poll's rows can be trusted as the whole connector, compared with the snapshot of
 * the last poll. Pure: keys in, a refusal (or nothing) out.
 *
 * Downstream a key that is gone is a leaver, so a read that suddenly holds far fewer keys (the
 * connector's filter was changed in Profit, the App Connector lost rights on part of the data,
 * AFAS or a proxy answered partially) must not become a wave of leavers. More than
 * `maxMissingPercent` % of the snapshot's keys missing at once (at least one key may always go)
 * is refused, and so is an empty read after a non-empty one (unless the share is 100 %).
 */
import { percentText } from '../../shared/percent';

/** Why a poll's rows were refused: the error's message and what to check. */
export interface Refusal {
	message: string;
	description: string;
}

/** The option that sets the share, as the user sees it. */
export const MAX_MISSING_LABEL = 'Max Missing Rows (%)';

const KEPT = 'nothing was reported and the previous state was kept';

/** How many of `total` keys may go missing in one poll: the share, and at least 1. */
export function allowedLoss(total: number, maxMissingPercent: number): number {
	return Math.max(1, Math.floor((total * maxMissingPercent) / 100));
}

function accept(missing: number, total: number): string {
	const needed = Math.min(100, Math.ceil((missing * 100) / total));
	return `If these rows really are gone (for example you changed the connector's filter on purpose), set "${MAX_MISSING_LABEL}" to ${needed} or more for one poll (their leaver events are then emitted) and set it back.`;
}

/**
 * A refusal when this poll's keys miss more of the snapshot's keys than allowed, or are none
 * after some; undefined when the rows may replace the snapshot.
 * @param previousKeys The snapshot's keys.
 * @param has Whether this poll has a key.
 * @param currentCount How many keys this poll has.
 * @param maxMissingPercent 0 to 100.
 */
export function refuseDrop(
	connectorId: string,
	previousKeys: readonly string[],
	has: (key: string) => boolean,
	currentCount: number,
	maxMissingPercent: number,
): Refusal | undefined {
	const total = previousKeys.length;
	if (total === 0) return undefined;
	let missing = 0;
	for (const key of previousKeys) if (!has(key)) missing++;
	const why = `Check the connector's definition in Profit (a changed filter), the App Connector's rights, and any proxy between n8n and AFAS; a partial answer looks the same. Nothing is lost: the next poll compares with the kept state.`;
	if (currentCount === 0 && maxMissingPercent < 100) {
		return {
			message: `AFAS returned no rows for connector '${connectorId}', after ${total} keys at the last poll; ${KEPT}`,
			description: `${why} ${accept(total, total)}`,
		};
	}
	if (missing <= allowedLoss(total, maxMissingPercent)) return undefined;
	return {
		message: `Connector '${connectorId}' returned ${total - missing} of the ${total} keys of the last poll: ${missing} (${percentText(missing, total)}) are missing, more than "${MAX_MISSING_LABEL}" = ${maxMissingPercent}%; ${KEPT}`,
		description: `So many rows rarely leave a connector at once. ${why} ${accept(missing, total)}`,
	};
}
