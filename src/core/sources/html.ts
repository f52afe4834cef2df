/**
 * HTML to plain text with htmlparser2's tokenizer (it decodes entities and knows that script and style
 * hold raw text). The mapping to text is ours and small: skipped elements, line breaks at block
 * elements, headings written as Markdown `#` lines (so the heading-aware chunker sees them), list items
 * as `- ` lines. A full converter (html-to-text) would add word wrapping and table layout we do not want.
 */
import { Parser } from 'htmlparser2';

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object']);
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'header', 'hr', 'html', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody',
  'thead', 'tfoot', 'tr', 'ul', 'caption',
]);
const HEADING = /^h([1-6])$/;

export function htmlToText(html: string): string {
  const out: string[] = [];
  let skipDepth = 0;
  let pre = 0;
  let title = '';
  let inTitle = false;
  const breakLine = (blank: boolean) => out.push(blank ? '\n\n' : '\n');
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'title') inTitle = true;
        if (SKIPPED.has(name)) skipDepth++;
        if (skipDepth > 0) return;
        const heading = HEADING.exec(name);
        if (heading) {
          breakLine(true);
          out.push(`${'#'.repeat(Number(heading[1]))} `);
        } else if (name === 'br') breakLine(false);
        else if (name === 'li') out.push('\n- ');
        else if (name === 'td' || name === 'th') out.push(' | ');
        else if (BLOCKS.has(name)) breakLine(name === 'p' || name === 'pre' || name === 'table' || name === 'blockquote');
        if (name === 'pre') pre++;
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skipDepth > 0) return;
        out.push(pre > 0 ? text : text.replace(/\s+/g, ' '));
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'pre') pre = Math.max(0, pre - 1);
        if (HEADING.test(name)) breakLine(true);
        else if (BLOCKS.has(name)) breakLine(name === 'p' || name === 'pre' || name === 'table' || name === 'blockquote');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  const body = tidy(out.join(''));
  const heading = title.replace(/\s+/g, ' ').trim();
  // A page whose body does not start with its title gets the title as its first heading.
  return heading && !body.startsWith(`# ${heading}`) ? `# ${heading}\n\n${body}`.trim() : body;
}

/** Spaces trimmed at line ends and starts (outside the text of lines), at most one blank line in a row. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/g, '').replace(/^[ \t]+(?=\S)/, (m) => (m.length > 1 ? m : '')))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
