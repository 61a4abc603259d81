/** The AFAS Trigger's parameters. */
import type { INodeProperties } from 'n8n-workflow';

import {
	afasOptions,
	connectorLocator,
	dateOutputOption,
	filtersProperty,
	readingOptions,
} from '../AfasGetConnector/actions/common.description';
import { MAX_MISSING_LABEL } from './helpers/completeness';

const FIELD_OPTIONS = {
	loadOptionsMethod: 'getFields',
	loadOptionsDependsOn: ['connector.value'],
};

export const triggerDescription: INodeProperties[] = [
	{
		displayName:
			'Each poll reads every row of the connector and compares it with the last poll. The first poll after activation only records the current state. Changing the connector, filters, key fields or rows per key starts a new baseline.',
		name: 'pollingNotice',
		type: 'notice',
		default: '',
	},
	connectorLocator,
	{
		displayName: 'Key Field Names or IDs',
		name: 'keyFields',
		type: 'multiOptions',
		typeOptions: FIELD_OPTIONS,
		default: [],
		description:
			'The fields whose values identify a row (a person): an employee number. Empty: the first field of the connector. Several fields together make one key. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Rows per Key',
		name: 'rowsPerKey',
		type: 'options',
		options: [
			{
				name: 'One',
				value: 'one',
				description: 'A key identifies one row; two rows with the same key fail the poll',
			},
			{
				name: 'Several (One per Employment)',
				value: 'several',
				description:
					'For connectors with one row per employment: the rows of a key are watched together and all output, so Reconcile Users picks the current employment',
			},
		],
		default: 'one',
	},
	{
		displayName: 'Watched Field Names or IDs',
		name: 'watchedFields',
		type: 'multiOptions',
		typeOptions: FIELD_OPTIONS,
		default: [],
		description:
			'Fields whose changes are reported. Empty: every field of the connector. The date fields below are always watched. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Start Date Field Name or ID',
		name: 'startDateField',
		type: 'options',
		typeOptions: FIELD_OPTIONS,
		default: '',
		description:
			'A date field that starts an employment: a "dateReached" event when it is reached (see Start Date Lead Time in the options), though the row did not change. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'End Date Field Name or ID',
		name: 'endDateField',
		type: 'options',
		typeOptions: FIELD_OPTIONS,
		default: '',
		description:
			'A date field holding the last working day: a "dateReached" event on the day after it, in the first poll after midnight (workflow time zone), though the row did not change. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	filtersProperty,
	{
		displayName: 'Report',
		name: 'report',
		type: 'multiOptions',
		options: [
			{ name: 'Changes', value: 'change', description: 'Watched fields changed' },
			{
				name: 'Dates Reached',
				value: 'dateReached',
				description: 'A start date reached or an end date passed',
			},
			{ name: 'Joiners', value: 'joiner', description: 'Rows (keys) new in the connector' },
			{
				name: 'Leavers',
				value: 'leaver',
				description: 'Rows (keys) no longer in the connector',
			},
		],
		default: ['joiner', 'change', 'leaver', 'dateReached'],
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Event',
				value: 'event',
				description:
					'One item per event: event, key, reason, changes, datesReached, row and detectedAt',
			},
			{
				name: 'Row (for Reconcile Users)',
				value: 'row',
				description:
					'The row as the AFAS GetConnector node outputs it, with the event under "event"; a row gone from the connector comes with only its key fields and deleted: true. Connect it to Reconcile Users with scope Only the People in the HR Input.',
			},
		],
		default: 'event',
	},
	afasOptions([
		dateOutputOption,
		{
			displayName: MAX_MISSING_LABEL,
			name: 'maxMissingPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 20,
			description:
				'The poll fails, reports nothing and keeps its state when more than this share of the keys of the last poll is missing at once: that is a changed connector filter or a partial answer, not a wave of leavers. One key may always go. An empty read after a non-empty one fails unless this is 100.',
		},
		{
			displayName: 'Remember Values of Field Names or IDs',
			name: 'rememberFields',
			type: 'multiOptions',
			typeOptions: FIELD_OPTIONS,
			default: [],
			description:
				'Fields whose values are kept between polls, so a change shows from and to (other fields show the new value). Each value is stored in the workflow, so keep the list short. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Start Date Lead Time (Days)',
			name: 'startLeadDays',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'A start date counts as reached this many days before it. Set it to the Invite Lead Time of Reconcile Users.',
		},
		...readingOptions,
	]),
];
