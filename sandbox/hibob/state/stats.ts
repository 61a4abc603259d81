/** The log of the API requests the HiBob sandbox answered (control requests are not logged). */

/** One answered request. */
export interface RequestLogEntry {
	method: string;
	/** Path and query string as requested, e.g. `/v1/company/named-lists/title?includeArchived=true`. */
	path: string;
	status: number;
	/** The request body: parsed JSON, the raw text when it is not JSON, undefined when empty. */
	body?: unknown;
	contentType?: string;
	/** The authenticated service user, when authentication succeeded. */
	serviceUserId?: string;
}

export class RequestStats {
	private readonly log: RequestLogEntry[] = [];

	record(entry: RequestLogEntry): void {
		this.log.push(entry);
	}

	/** The number of requests and a copy of the log, oldest first. */
	snapshot(): { requests: number; log: RequestLogEntry[] } {
		return { requests: this.log.length, log: [...this.log] };
	}

	clear(): void {
		this.log.splice(0);
	}
}
