// A TLS certificate for loopback test servers, made in-process (no openssl on PATH needed).
import {generate} from 'selfsigned';

export type TestCertificate = {readonly key: string; readonly cert: string};

let made: Promise<TestCertificate> | undefined;

/** A self-signed certificate for 127.0.0.1 and localhost (made once per process). */
export async function testCertificate(): Promise<TestCertificate> {
	made ??= generate([{name: 'commonName', value: '127.0.0.1'}], {
		keyType: 'ec',
		algorithm: 'sha256',
		notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
		extensions: [
			{
				name: 'subjectAltName',
				altNames: [
					{type: 7, ip: '127.0.0.1'},
					{type: 2, value: 'localhost'},
				],
			},
		],
	}).then(pems => ({key: pems.private, cert: pems.cert}));
	return made;
}
