import {
	ACCEPTED_TOKEN_FORMS,
	AfasTokenFormatError,
	afasBaseUrl,
	normaliseAfasToken,
} from '../../../credentials/common/afas';

const DATA = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
const XML = `<token><version>1</version><data>${DATA}</data></token>`;
const BASE64 = Buffer.from(XML, 'utf8').toString('base64');

describe('normaliseAfasToken', () => {
	it('accepts the full XML and sends its base64', () => {
		expect(normaliseAfasToken(XML)).toEqual({ form: 'xml', base64: BASE64 });
	});

	it('rebuilds pretty-printed XML in canonical form', () => {
		const pretty = `\n  <token>\n    <version>1</version>\n    <data>${DATA}</data>\n  </token>\n`;
		expect(normaliseAfasToken(pretty).base64).toBe(BASE64);
	});

	it('accepts the data value alone and wraps it in token XML', () => {
		expect(normaliseAfasToken(DATA)).toEqual({ form: 'data', base64: BASE64 });
	});

	it('keeps a data value of digits only as text', () => {
		const digits = '1234567890'.repeat(4);
		const decoded = Buffer.from(
			normaliseAfasToken(`<token><version>1</version><data>${digits}</data></token>`).base64,
			'base64',
		).toString();
		expect(decoded).toBe(`<token><version>1</version><data>${digits}</data></token>`);
	});

	it('accepts base64 of the XML, also with line breaks or an AfasToken prefix', () => {
		expect(normaliseAfasToken(BASE64)).toEqual({ form: 'base64', base64: BASE64 });
		expect(normaliseAfasToken(`${BASE64.slice(0, 40)}\n${BASE64.slice(40)}`).base64).toBe(BASE64);
		expect(normaliseAfasToken(`AfasToken ${BASE64}`).base64).toBe(BASE64);
	});

	it.each([
		['empty', ''],
		['not a string', undefined],
		['broken XML', `<token><version>1</version><data>${DATA}</data>`],
		['XML without data', '<token><version>1</version></token>'],
		['another root', `<key><data>${DATA}</data></key>`],
		['base64 of broken XML', Buffer.from(`<token><data>${DATA}</token>`).toString('base64')],
		['too short', 'ABC123'],
		['punctuation', `${DATA.slice(0, 20)}!?${DATA.slice(22)}`],
	])('rejects %s with the accepted forms and without the token', (_label, input) => {
		let caught: unknown;
		try {
			normaliseAfasToken(input);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(AfasTokenFormatError);
		const message = (caught as Error).message;
		expect(message).toContain(ACCEPTED_TOKEN_FORMS);
		if (typeof input === 'string' && input.length > 0) {
			expect(message).not.toContain(input);
			expect(message).not.toContain(DATA.slice(0, 16));
		}
	});
});

describe('afasBaseUrl', () => {
	it.each([
		['production', 'https://12345.rest.afas.online/ProfitRestServices'],
		['test', 'https://12345.resttest.afas.online/ProfitRestServices'],
		['accept', 'https://12345.restaccept.afas.online/ProfitRestServices'],
	])('builds the %s host from the environment number', (environmentType, expected) => {
		expect(
			afasBaseUrl({ connectUsing: 'environment', environmentType, environmentNumber: '12345' }),
		).toBe(expected);
	});

	it('reads the number out of an environment id such as O12345AA', () => {
		expect(afasBaseUrl({ environmentType: 'production', environmentNumber: ' O12345AA ' })).toBe(
			'https://12345.rest.afas.online/ProfitRestServices',
		);
	});

	it('uses the API server URL as given, without a trailing slash or endpoint path', () => {
		expect(
			afasBaseUrl({ connectUsing: 'url', url: 'http://127.0.0.1:8080/ProfitRestServices/' }),
		).toBe('http://127.0.0.1:8080/ProfitRestServices');
		expect(
			afasBaseUrl({
				connectUsing: 'url',
				url: 'https://1.rest.afas.online/profitrestservices/connectors/Mobietrain_Employees',
			}),
		).toBe('https://1.rest.afas.online/profitrestservices');
		expect(afasBaseUrl({ connectUsing: 'url', url: 'https://proxy.example.com/afas' })).toBe(
			'https://proxy.example.com/afas',
		);
	});

	it('says what is missing', () => {
		expect(() => afasBaseUrl({ connectUsing: 'environment', environmentNumber: '' })).toThrow(
			/environment number is missing/,
		);
		expect(() => afasBaseUrl({ connectUsing: 'url', url: 'rest.afas.online' })).toThrow(
			/does not start with https/,
		);
	});
});
