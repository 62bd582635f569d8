// Every relative link in README.md and docs/*.md resolves: the file exists, and an anchor (#section) names a heading of
// the file it points at (GitHub's heading ids). Links in fenced code blocks and to other sites are not checked.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of inline links and images `[text](target "title")` and of reference definitions `[label]: target`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] as string);
  const definitions = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)].map((match) => match[1] as string);
  return [...inline, ...definitions];
}

/** GitHub's id of each heading: lower case, punctuation dropped, spaces to "-", repeats numbered -1, -2, ... */
function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = (match[1] as string)
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading counts by its text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** What is wrong with each relative link of a document ("target: reason"). */
function brokenLinks(document: string): string[] {
  const markdown = readFileSync(join(root, document), 'utf8');
  return linkTargets(markdown)
    .filter((target) => !isExternal(target))
    .flatMap((target) => {
      const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
      const path = pathPart === '' ? join(root, document) : resolve(dirname(join(root, document)), decodeURIComponent(pathPart));
      if (!existsSync(path)) return [`${target}: ${relative(root, path)} does not exist`];
      if (anchor === undefined || anchor === '' || statSync(path).isDirectory() || !path.endsWith('.md')) return [];
      const ids = headingIds(readFileSync(path, 'utf8'));
      return ids.has(decodeURIComponent(anchor).toLowerCase()) ? [] : [`${target}: no heading #${anchor} in ${relative(root, path)}`];
    });
}

describe('documentation links', () => {
  it('the check finds links and heading ids as GitHub makes them', () => {
    const markdown = '# Ingest: the webhook\n## Tests\n## Tests\n[a](docs/x.md#y) ![b](img.png "t")\n`[c](no.md)`\n[d]: ./e.md\n';
    expect(linkTargets(markdown)).toEqual(['docs/x.md#y', 'img.png', './e.md']);
    expect([...headingIds(markdown)]).toEqual(['ingest-the-webhook', 'tests', 'tests-1']);
  });

  it.each(documents)('%s: every relative link and anchor resolves', (document) => {
    expect(brokenLinks(document)).toEqual([]);
  });
});
