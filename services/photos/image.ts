// A staff upload becomes the photo we keep: the format is read from the bytes (JPEG, PNG, HEIC, WebP;
// never the declared type or the name), the EXIF orientation applied, the size capped at 2048 px on the
// longer side, and the result re-encoded as JPEG without EXIF, GPS, XMP or ICC metadata (sharp keeps
// none unless asked). Bad input is an ApiError in pt-BR: 413 too big, 415 not an image, 400 unreadable.
import sharp, { type Metadata } from 'sharp';
import { sniffPhotoFormat, type PhotoFormat } from '../../domain/photos';
import { ApiError } from '../errors';

export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
export const MAX_PHOTO_SIDE = 2048;
/** Beyond this the decoder would need too much memory for one upload (a 48 MP phone photo is below it). */
export const MAX_INPUT_PIXELS = 64_000_000;
const JPEG_QUALITY = 85;

export interface PreparedPhoto {
  body: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  /** What the upload was (by its bytes). */
  sourceFormat: PhotoFormat;
}

/**
 * Whether this sharp build decodes HEVC-coded HEIF (iPhone photos). The prebuilt binaries ship libheif
 * with the AV1 decoder only (HEVC is patent-encumbered), so they list just ".avif"; a sharp built on a
 * system libvips with libde265 lists ".heic" too.
 */
export const HEIC_DECODABLE = (sharp.format.heif?.input?.fileSuffix ?? []).includes('.heic');

export const photoErrors = {
  tooLarge: () => new ApiError(413, 'payload_too_large', 'A foto excede o limite de 15 MB. Envie uma versão menor.'),
  notAnImage: () => new ApiError(415, 'unsupported_media_type', 'O arquivo não é uma foto em JPEG, PNG, HEIC ou WebP.'),
  heic: () => new ApiError(415, 'heic_unsupported', 'Formato HEIC não suportado neste servidor; envie em JPEG ou PNG.'),
  unreadable: () => new ApiError(400, 'image_unreadable', 'Não foi possível ler a imagem: o arquivo parece corrompido ou incompleto.'),
  tooManyPixels: () => new ApiError(413, 'payload_too_large', 'A foto tem resolução grande demais (máximo 64 megapixels).'),
};

export async function preparePhoto(input: Uint8Array): Promise<PreparedPhoto> {
  if (input.byteLength > MAX_PHOTO_BYTES) throw photoErrors.tooLarge();
  const format = sniffPhotoFormat(input);
  if (!format) throw photoErrors.notAnImage();
  if (format === 'heic' && !HEIC_DECODABLE) throw photoErrors.heic();

  const options = { failOn: 'error', limitInputPixels: false, sequentialRead: true } as const;
  let meta: Metadata;
  try {
    meta = await sharp(input, options).metadata();
  } catch {
    throw photoErrors.unreadable();
  }
  if (!meta.width || !meta.height) throw photoErrors.unreadable();
  if (meta.width * meta.height > MAX_INPUT_PIXELS) throw photoErrors.tooManyPixels();

  try {
    const { data, info } = await sharp(input, { ...options, limitInputPixels: MAX_INPUT_PIXELS })
      .timeout({ seconds: 30 })
      .rotate() // EXIF orientation first, so the stored pixels stand the right way up once the tag is gone
      .resize({ width: MAX_PHOTO_SIDE, height: MAX_PHOTO_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' }) // a transparent PNG/WebP gets a white background, not black
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { body: data, contentType: 'image/jpeg', width: info.width, height: info.height, sourceFormat: format };
  } catch {
    // A HEIC whose codec this build lacks fails here too (HEIC_DECODABLE cannot see every variant).
    throw format === 'heic' ? photoErrors.heic() : photoErrors.unreadable();
  }
}
