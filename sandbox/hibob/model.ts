/**
 * The HiBob sandbox's record of an employee and HiBob's lifecycle vocabulary: an employee has an
 * access status (`internal.status`, Active or Inactive) and a lifecycle status
 * (`internal.lifecycleStatus`: hired, employed, garden leave, terminated, leave, parental leave).
 * Field IDs and types: https://apidocs.hibob.com/docs/fields-metadata
 */

/** The sandbox company's ID, as it appears in `root.companyId` and in webhook envelopes. */
export const COMPANY_ID = 636192;

/** A custom field of the sandbox company (the cost centre), read by its field ID only. */
export const CUSTOM_COST_CENTRE = 'work.custom.field_1700000001';

export interface LeavePeriod {
	/** First day of the leave (YYYY-MM-DD). */
	from: string;
	/** Last day of the leave (inclusive, YYYY-MM-DD); null = open-ended. */
	to: string | null;
	/** "Remain active": the access status stays Active during the leave. */
	remainActive: boolean;
	kind?: 'leave' | 'parental leave';
}

/** The raw record the sandbox keeps per employee (what tests read and patch). Dates are YYYY-MM-DD. */
export interface StoredEmployee {
	/** HiBob's employee ID: 19 digits, starting with 3. */
	id: string;
	companyId: number;
	firstName: string;
	surname: string;
	secondName: string | null;
	/** Work email; null for people without one (warehouse staff, contractors). */
	email: string | null;
	/** HiBob's timestamp format (see `bobTimestamp`). */
	creationDateTime: string;
	avatarUrl: string | null;
	work: {
		/** Named-list item ID of the `title` list. */
		title: string | null;
		/** Named-list item ID of the `department` list. */
		department: string | null;
		/** Named-list item ID of the `site` list. */
		siteId: number | null;
		startDate: string;
		/** Employee ID of the manager. */
		manager: string | null;
		employeeIdInCompany: number;
		/** Custom fields, asked for by ID only (`work.custom.field_…`). */
		custom: Record<string, string | null>;
	};
	internal: {
		terminationDate: string | null;
		/** Last working day; before the termination date it means garden leave. */
		lastDayOfWork: string | null;
		/** Named-list item ID of the `terminationreason` list. */
		terminationReason: string | null;
		probationEndDate: string | null;
		leave: LeavePeriod | null;
	};
	about: { about: string | null; hobbies: string[] };
	employment: { type: string | null; weeklyHours: number | null };
	home: { mobilePhone: string | null; privateEmail: string | null };
	personal: { pronouns: string | null; nationality: string[] };
}

/** HiBob's lifecycle statuses (machine values, lowercase). */
export type LifecycleStatus =
	| 'hired'
	| 'employed'
	| 'garden leave'
	| 'terminated'
	| 'leave'
	| 'parental leave';

/** `internal.status` (access) and `internal.lifecycleStatus` of one employee on one day. */
export interface LifecycleState {
	status: 'Active' | 'Inactive';
	lifecycleStatus: LifecycleStatus;
}
