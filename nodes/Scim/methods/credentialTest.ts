/**
 * The SCIM 2.0 API credential's test (the node declares it with `testedBy`): a declarative test
 * request is one request, and the test needs a fallback. It asks `GET /ServiceProviderConfig`
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-4), and when the app has none (Okta never
 * calls it, so many apps skip it) `GET /Users?startIndex=1&count=1`, which every SCIM app answers.
 * A 401 or 403 on either fails the test at once. Messages never hold the token: the app's words
 * are quoted with the credential's secrets hidden.
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import {
	hideSecrets,
	scimAuthHeaders,
	scimBaseUrl,
	scimSecrets,
} from '../../../credentials/common/scim';
import { describeNetworkFailure } from '../../shared/http';
import { parseListPage } from '../helpers/list';
import { SCIM_MEDIA_TYPE } from '../transport';
import { parseBody, readScimError } from '../transport/errors';

/** One answer, or why none came. */
interface Probe {
	status?: number;
	body?: unknown;
	/** The Location header of a redirect (not followed). */
	location?: string;
	/** Set when the request got no response. */
	failure?: string;
}

async function probe(
	context: ICredentialTestFunctions,
	url: string,
	headers: Record<string, string>,
): Promise<Probe> {
	try {
		// ICredentialTestFunctions offers only `request`; the headers come from the same function
		// as the credential's `authenticate`.
		const response = (await context.helpers.request({
			method: 'GET',
			uri: url,
			headers: { ...headers, Accept: `${SCIM_MEDIA_TYPE}, application/json` },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 30_000,
			// A redirect would take the credential's headers along: reported, never followed.
			followRedirect: false,
			followAllRedirects: false,
		})) as { statusCode: number; body: unknown; headers?: Record<string, unknown> };
		const location = response.headers?.location;
		return {
			status: response.statusCode,
			body: parseBody(response.body),
			...(typeof location === 'string' ? { location } : {}),
		};
	} catch (error) {
		const { code, reason } = describeNetworkFailure(error);
		return { failure: reason ?? code ?? 'no answer' };
	}
}

function isOk(answer: Probe): boolean {
	return answer.status !== undefined && answer.status >= 200 && answer.status < 300;
}

function rejected(
	answer: Probe,
	path: string,
	secrets: string[],
): INodeCredentialTestResult | undefined {
	if (answer.status !== undefined && answer.status >= 300 && answer.status < 400) {
		const where = answer.location ? ` to ${hideSecrets(answer.location, secrets)}` : '';
		return {
			status: 'Error',
			message: `The app redirected GET ${path}${where} (${answer.status}). Redirects are not followed, so the credential is never sent to another address: if that address is the app's own, enter it as the Base URL.`,
		};
	}
	if (answer.status !== 401 && answer.status !== 403) return undefined;
	const detail = hideSecrets(readScimError(answer.body).detail, secrets);
	return {
		status: 'Error',
		message: `The app rejected the credential on GET ${path} (${answer.status})${detail ? `: ${detail}` : ''}. Check the Token, or the Username and Password, or the header.`,
	};
}

/** "answered 404", or "got no answer (the connection was refused)". */
function outcome(answer: Probe): string {
	return answer.failure === undefined
		? `answered ${answer.status}`
		: `got no answer (${answer.failure})`;
}

/** What the app's ServiceProviderConfig says about PATCH and paging, in one sentence. */
function capabilities(config: IDataObject): string {
	const patch = (config.patch as IDataObject | undefined)?.supported;
	const maxResults = (config.filter as IDataObject | undefined)?.maxResults;
	const parts = [
		patch === false
			? 'no PATCH (turn on "Use PUT" in Update)'
			: patch === true
				? 'PATCH supported'
				: undefined,
		typeof maxResults === 'number' ? `at most ${maxResults} resources per page` : undefined,
	].filter((part) => part !== undefined);
	return parts.length > 0 ? ` It reports ${parts.join(', ')}.` : '';
}

/** The test after a ServiceProviderConfig that did not answer: `GET /Users?startIndex=1&count=1`. */
async function testUsers(
	context: ICredentialTestFunctions,
	baseUrl: string,
	headers: Record<string, string>,
	config: Probe,
	secrets: string[],
): Promise<INodeCredentialTestResult> {
	const users = await probe(context, `${baseUrl}/Users?startIndex=1&count=1`, headers);
	const refused = rejected(users, '/Users', secrets);
	if (refused) return refused;
	const page = isOk(users) ? parseListPage(users.body) : undefined;
	if (page) {
		return {
			status: 'OK',
			message: `Connected: GET /Users answered a SCIM list (${page.totalResults} users). GET /ServiceProviderConfig ${outcome(config)}: the app has none, which is fine.`,
		};
	}
	return {
		status: 'Error',
		message: `No SCIM app at ${baseUrl}: GET /ServiceProviderConfig ${outcome(config)} and GET /Users ${outcome(users)}${isOk(users) ? ' without a SCIM list' : ''}. Check the Base URL: it is the address /Users lives under, for example https://api.example.com/scim/v2.`,
	};
}

/**
 * Tests a SCIM 2.0 API credential as described above.
 * Returns `{ status: 'OK' | 'Error', message }`: a wrong credential or an unreachable app is an
 * Error result, not a throw.
 */
export async function scimApiCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let baseUrl: string;
	let headers: Record<string, string>;
	try {
		baseUrl = scimBaseUrl(credential.data ?? {});
		headers = scimAuthHeaders(credential.data ?? {});
	} catch (error) {
		// Both throw only ScimCredentialError, whose message names the field and holds no secret.
		return { status: 'Error', message: (error as Error).message };
	}
	const secrets = scimSecrets(credential.data ?? {});
	const config = await probe(this, `${baseUrl}/ServiceProviderConfig`, headers);
	if (config.failure !== undefined) {
		return {
			status: 'Error',
			message: `Could not reach the app at ${baseUrl}: ${config.failure}. Check the Base URL.`,
		};
	}
	const refused = rejected(config, '/ServiceProviderConfig', secrets);
	if (refused) return refused;
	const body = config.body;
	if (isOk(config) && body && typeof body === 'object' && !Array.isArray(body)) {
		return {
			status: 'OK',
			message: `Connected: the app answered GET /ServiceProviderConfig.${capabilities(body as IDataObject)}`,
		};
	}
	return await testUsers(this, baseUrl, headers, config, secrets);
}
