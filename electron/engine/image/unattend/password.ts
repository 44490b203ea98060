/**
 * Passwords the way Windows System Image Manager writes them into an answer file: the password followed
 * by the name of the element that holds it ("Password" for a local account and AutoLogon,
 * "AdministratorPassword" for the built-in administrator), as UTF-16LE, in base64, with
 * <PlainText>false</PlainText>. It hides the password from a glance, nothing more: it is not encryption.
 */
export type PasswordElement = 'Password' | 'AdministratorPassword';

export function encodeWsimPassword(password: string, element: PasswordElement = 'Password'): string {
  return Buffer.from(password + element, 'utf16le').toString('base64');
}

/** The clear password of a WSIM-encoded value, or undefined when the value is not one for `element`. */
export function decodeWsimPassword(encoded: string, element: PasswordElement = 'Password'): string | undefined {
  const text = Buffer.from(encoded, 'base64').toString('utf16le');
  return text.endsWith(element) ? text.slice(0, -element.length) : undefined;
}
