/** XPath over an answer file with xmllint (Debian's libxml2-utils), the outside oracle for the generated XML. */
import { spawnSync } from 'node:child_process';
import { hasTool } from '../helpers/tools.js';

export const HAS_XMLLINT = hasTool('xmllint');

/** `//settings[@pass='windowsPE']` style paths without the default namespace: each step becomes *[local-name()='…']. */
function local(path: string): string {
  return path.replace(/(\/\/?)([A-Za-z][\w-]*)/g, (_, sep: string, name: string) => `${sep}*[local-name()='${name}']`);
}

/** The string value of an XPath expression (wrapped in string()) or count() of a path. */
export function xpath(xml: string, expr: string): string {
  const r = spawnSync('xmllint', ['--xpath', local(expr), '-'], { input: xml, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 10) throw new Error(`xmllint ${expr}: ${r.stderr}`);
  return r.stdout.trim();
}

export const str = (xml: string, path: string): string => xpath(xml, `string(${path})`);
export const count = (xml: string, path: string): number => Number(xpath(xml, `count(${path})`));

/** True when xmllint says the document is well-formed. */
export function wellFormed(xml: string): boolean {
  return spawnSync('xmllint', ['--noout', '-'], { input: xml }).status === 0;
}
