/** The 43-byte transparent 1x1 GIF89a the classic /a.gif endpoint answers with. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
