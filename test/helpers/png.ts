// A small PNG decoder for screenshots (8-bit RGB or RGBA, non-interlaced, as Chromium writes them):
// enough to count painted pixels without an image library.
import {inflateSync} from 'node:zlib';

export type Pixels = {readonly width: number; readonly height: number; readonly channels: number; readonly data: Uint8Array};

export function decodePng(png: Uint8Array): Pixels {
	const buffer = Buffer.from(png);
	if (buffer.readUInt32BE(0) !== 0x89_50_4e_47) {
		throw new Error('not a PNG');
	}

	let offset = 8;
	let width = 0;
	let height = 0;
	let channels = 0;
	const idat: Buffer[] = [];
	while (offset < buffer.length) {
		const length = buffer.readUInt32BE(offset);
		const type = buffer.toString('latin1', offset + 4, offset + 8);
		const body = buffer.subarray(offset + 8, offset + 8 + length);
		if (type === 'IHDR') {
			width = body.readUInt32BE(0);
			height = body.readUInt32BE(4);
			const [bitDepth, colorType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
			if (bitDepth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
				throw new Error(`unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
			}

			channels = colorType === 6 ? 4 : 3;
		} else if (type === 'IDAT') {
			idat.push(body);
		} else if (type === 'IEND') {
			break;
		}

		offset += 12 + length;
	}

	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * channels;
	const data = new Uint8Array(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)]!;
		const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
		for (let x = 0; x < stride; x++) {
			const left = x >= channels ? data[y * stride + x - channels]! : 0;
			const up = y > 0 ? data[(y - 1) * stride + x]! : 0;
			const upLeft = y > 0 && x >= channels ? data[(y - 1) * stride + x - channels]! : 0;
			let predicted = 0;
			switch (filter) {
				case 0: {
					break;
				}

				case 1: {
					predicted = left;
					break;
				}

				case 2: {
					predicted = up;
					break;
				}

				case 3: {
					predicted = Math.floor((left + up) / 2);
					break;
				}

				case 4: {
					const estimate = left + up - upLeft;
					const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
					predicted = a <= b && a <= c ? left : b <= c ? up : upLeft;
					break;
				}

				default: {
					throw new Error(`bad PNG filter ${filter}`);
				}
			}

			data[y * stride + x] = (line[x]! + predicted) & 0xff;
		}
	}

	return {width, height, channels, data};
}

/** The share (0–1) of pixels that are not (near) white. */
export function paintedShare(pixels: Pixels): number {
	let painted = 0;
	for (let index = 0; index < pixels.data.length; index += pixels.channels) {
		if (pixels.data[index]! < 235 || pixels.data[index + 1]! < 235 || pixels.data[index + 2]! < 235) {
			painted++;
		}
	}

	return painted / (pixels.width * pixels.height);
}
