/**
 * The HiBob sandbox's express application: the control API under `/__mock`, the HiBob API under
 * `/v1`, and HiBob's HTML page (or a 404) for every other path. Routing is case-sensitive and
 * strict about trailing slashes, and express adds no `X-Powered-By` or `ETag` headers.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { apiRouter, type ApiParts } from './routes/api';
import { controlRouter, type ControlParts } from './routes/control';
import { errorAnswer, requestTarget } from './routes/http';
import { HTML_PAGE, type PublicAnswers } from './routes/public';

export type HiBobAppParts = ApiParts & ControlParts;

/** Bodies up to this size are read; larger ones are answered with 413. */
const BODY_LIMIT = '10mb';

export function createHiBobApp(parts: HiBobAppParts): Express {
	const app = express();
	app.disable('x-powered-by');
	app.disable('etag');
	app.enable('case sensitive routing');
	app.enable('strict routing');

	app.use('/__mock', controlRouter(parts));
	// The API reads bodies as raw bytes: logged as sent, parsed only after authentication.
	app.use(express.raw({ type: () => true, limit: BODY_LIMIT }));
	app.use('/v1', apiRouter(parts));
	app.use(unknownPath(parts));
	app.use(sandboxFailure(parts.answers));
	return app;
}

/** A path outside `/v1` and `/__mock`: HiBob's HTML page, or a 404 when the sandbox is told so. */
function unknownPath({ answers, settings }: HiBobAppParts) {
	return (req: Request, res: Response) => {
		if (settings.htmlForUnknownPaths)
			return answers.send(req, res, { status: 200, html: HTML_PAGE });
		const error = `No route ${requestTarget(req).pathname}`;
		answers.send(req, res, { status: 404, json: { key: 'not_found', error } });
	};
}

/** Anything the routes did not answer: logged without the request's details. */
function sandboxFailure(answers: PublicAnswers) {
	return (error: unknown, req: Request, res: Response, _next: NextFunction) =>
		answers.send(req, res, errorAnswer(error), false);
}
