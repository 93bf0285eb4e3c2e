import type { MessageBundle } from '../../i18n/catalogs.js';

/** Messages shown beside an upload field when a file is refused (src/modules/media/image-processing.ts). */
export const mediaMessages: MessageBundle = {
  en: {
    'media.errors.notAnImage': 'This file is not an image we can read.',
    'media.errors.unsupportedFormat': 'Please upload a JPEG, PNG, WebP, GIF, AVIF or TIFF image.',
    'media.errors.tooLarge': 'The file is too large: at most {maxMb} MB.',
    'media.errors.tooManyPixels': 'The image is too large: at most {max} pixels wide and high.',
    'media.errors.empty': 'The file is empty.',
    'media.errors.downloadTooLarge': 'The file is too large: at most {maxMb} MB.',
  },
  'pt-BR': {
    'media.errors.notAnImage': 'Este arquivo não é uma imagem que conseguimos ler.',
    'media.errors.unsupportedFormat': 'Envie uma imagem JPEG, PNG, WebP, GIF, AVIF ou TIFF.',
    'media.errors.tooLarge': 'O arquivo é grande demais: no máximo {maxMb} MB.',
    'media.errors.tooManyPixels': 'A imagem é grande demais: no máximo {max} pixels de largura e de altura.',
    'media.errors.empty': 'O arquivo está vazio.',
    'media.errors.downloadTooLarge': 'O arquivo é grande demais: no máximo {maxMb} MB.',
  },
  es: {
    'media.errors.notAnImage': 'Este archivo no es una imagen que podamos leer.',
    'media.errors.unsupportedFormat': 'Sube una imagen JPEG, PNG, WebP, GIF, AVIF o TIFF.',
    'media.errors.tooLarge': 'El archivo es demasiado grande: como máximo {maxMb} MB.',
    'media.errors.tooManyPixels': 'La imagen es demasiado grande: como máximo {max} píxeles de ancho y de alto.',
    'media.errors.empty': 'El archivo está vacío.',
    'media.errors.downloadTooLarge': 'El archivo es demasiado grande: como máximo {maxMb} MB.',
  },
};
