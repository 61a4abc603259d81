/**
 * The AFAS Profit REST routes the sandbox answers, under `/ProfitRestServices`:
 *
 * - `GET /profitversion`: `{ version }`, the cheap token check.
 * - `GET /metainfo`: the connectors the token may use, and the environment info.
 * - `GET /metainfo/get/{id}`: the fields of one GetConnector.
 * - `GET /metainfo/update/{id}`: no UpdateConnector is authorised for the sandbox token.
 * - `GET /connectors/{id}`: a page of a GetConnector's rows (skip, take, filters, sort).
 *
 * Paths match case-insensitively and with or without a trailing slash, as AFAS' do (express's
 * defaults). Any other method gets a 404: those are UpdateConnector calls the token may not make.
 * Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */
import { Router, type Request } from 'express';

import type { Connector } from './connector';
import { injectFaults, noteConnectorCall } from './middleware';
import { pageRowsJson, parseSkip, parseTake, rowView } from './paging';
import {
	ERROR_FUNCTIONAL,
	MESSAGES,
	afasErrorReply,
	jsonReply,
	notFoundReply,
	pageReply,
	unknownConnectorReply,
	type Reply,
} from './replies';
import type { AfasResponse, Deliver } from './respond';
import type { AfasSettings } from './settings';
import type { AfasState } from './state';

/** The path every AFAS REST URL starts with. */
export const BASE_PATH = '/ProfitRestServices';

/** The Profit version `/profitversion` reports. */
const PROFIT_VERSION = '7.0.3';

/** A request to a route with a `:connectorId` parameter. */
type ConnectorRequest = Request<{ connectorId: string }>;

/** What the route handlers work with. */
export interface AfasRouteContext {
	state: AfasState;
	settings: AfasSettings;
	deliver: Deliver;
}

/** `/metainfo`: the GetConnectors in definition order (no UpdateConnectors) and the token info. */
function metainfo({ state, settings }: AfasRouteContext): Reply {
	return jsonReply({
		updateConnectors: [],
		getConnectors: state.listConnectors().map((connector) => ({
			id: connector.id,
			description: connector.description,
		})),
		info: {
			envid: `O${settings.environmentNr}AA`,
			appName: settings.appName,
			group: `AuthorizationGroup 101 (${settings.environmentNr}.HRSYNC)`,
			tokenExpiry: '0',
		},
	});
}

/** `/metainfo/get/{id}`: the connector's name, description and fields, or the unknown-connector answer. */
function describeConnector({ state, settings }: AfasRouteContext, req: ConnectorRequest): Reply {
	const connector = state.findConnector(req.params.connectorId);
	if (!connector) return unknownConnectorReply(settings, req);
	return jsonReply({
		name: connector.id,
		description: connector.description,
		fields: connector.fields,
	});
}

/**
 * One page of a GetConnector: `skip=-1` returns every row and ignores take; `take=-1` without
 * `skip=-1` is AFAS' generic 500; `take=0` returns one row (as observed on AFAS); a blocked
 * definition and a page over `maxCells` cells get AFAS' 500s. Throws AfasQueryError for a filter
 * or sort AFAS would refuse. The knobs `ignoreSkip` (every page from the first row), `maxTake`
 * (at most that many rows per call) and `legacyNumbers` (decimals as `-.5`) change the answer as
 * a broken or older server would.
 */
function connectorPage(
	{ state, settings }: AfasRouteContext,
	req: Request,
	connector: Connector,
	parameters: ReadonlyMap<string, string>,
): Reply {
	if (connector.blocked) return afasErrorReply(settings, req, MESSAGES.blocked, ERROR_FUNCTIONAL);
	const skip = parseSkip(parameters.get('skip'));
	const take = parseTake(parameters.get('take'));
	if (skip !== -1 && take < 0) return afasErrorReply(settings, req, MESSAGES.unexpected);

	const view = rowView(connector, parameters, settings.nullSemantics);
	const start = skip === -1 || state.ignoreSkip ? 0 : skip;
	const asked = skip === -1 ? view.order.length - start : Math.max(take, 1);
	const end = start + Math.min(asked, state.maxTake ?? asked);
	const format = state.legacyNumbers ? 'legacyNumbers' : 'json';
	const page = pageRowsJson(connector, view, { start, end }, state.shuffleRandom, format);
	if (settings.maxCells !== undefined && page.count * connector.fields.length > settings.maxCells)
		return afasErrorReply(settings, req, MESSAGES.outOfMemory);
	return pageReply(skip, take, page.json);
}

/** `/connectors/{id}` with any method: unknown connector first, then GET only. */
function runGetConnector(
	context: AfasRouteContext,
	req: ConnectorRequest,
	res: AfasResponse,
): Reply {
	if (!context.state.findConnector(req.params.connectorId))
		return unknownConnectorReply(context.settings, req);
	if (req.method !== 'GET') return notFoundReply();
	// Rows changing while a client pages (addRowChange) change before this call is served.
	context.state.beforeConnectorCall(req.params.connectorId);
	const connector = context.state.requireConnector(req.params.connectorId);
	return connectorPage(context, req, connector, res.locals.parameters);
}

/**
 * The router for everything under `/ProfitRestServices` (see the module comment for the
 * routes), with the fault rules in front of each answer: a GetConnector call can match rules for
 * its connector and skip, any request the rules without one. Its paths carry the prefix
 * themselves, so express does not rewrite the URL on every request as it does for a router
 * mounted on a path.
 */
export function afasRoutes(context: AfasRouteContext): Router {
	const { state, deliver, settings } = context;
	const faults = injectFaults(state, settings, deliver);
	const router = Router();
	router.all(
		`${BASE_PATH}/connectors/:connectorId`,
		noteConnectorCall,
		faults,
		(req: ConnectorRequest, res: AfasResponse) =>
			deliver(req, res, runGetConnector(context, req, res)),
	);
	// Every other request, whatever its path: fault rules without a connector, then GET only.
	router.use(faults);
	router.use((req, res: AfasResponse, next) => {
		if (req.method !== 'GET') return deliver(req, res, notFoundReply());
		return next();
	});
	router.get(`${BASE_PATH}/profitversion`, (req, res: AfasResponse) =>
		deliver(req, res, jsonReply({ version: PROFIT_VERSION })),
	);
	router.get(`${BASE_PATH}/metainfo`, (req, res: AfasResponse) =>
		deliver(req, res, metainfo(context)),
	);
	router.get(`${BASE_PATH}/metainfo/get/:connectorId`, (req, res: AfasResponse) =>
		deliver(req, res, describeConnector(context, req)),
	);
	router.get(`${BASE_PATH}/metainfo/update/:connectorId`, (req, res: AfasResponse) =>
		deliver(req, res, unknownConnectorReply(settings, req)),
	);
	return router;
}
