import { describe, expect, it } from 'vitest';
import { commentSegments, foldForSearch, toEditableText, toStoredBody } from './commentText';

const ANA = { id: 'u-ana', name: 'Ana Maria', country: 'PT' };
const ANA_COSTA = { id: 'u-costa', name: 'Ana Maria Costa', country: 'PT' };
const JANA = { id: 'u-jana', name: 'Jana Müller', country: 'DE' };

describe('comment text as shown', () => {
  it('shows a mention of a recognised member as "@Name", marked when it is the reader', () => {
    expect(commentSegments('Thanks @[u-jana], and @[u-ana]!', [JANA, ANA], 'u-ana')).toEqual([
      { kind: 'text', text: 'Thanks ' },
      { kind: 'mention', text: '@Jana Müller', personId: 'u-jana', isSelf: false },
      { kind: 'text', text: ', and ' },
      { kind: 'mention', text: '@Ana Maria', personId: 'u-ana', isSelf: true },
      { kind: 'text', text: '!' },
    ]);
  });

  it('leaves a token the server did not recognise as written', () => {
    expect(commentSegments('Ask @[u-gone] please', [], null)).toEqual([{ kind: 'text', text: 'Ask @[u-gone] please' }]);
  });

  it('turns http(s) and mailto addresses into links, without the full stop that ends the sentence', () => {
    expect(commentSegments('See https://jane-project.eu/wp9. Or write to mailto:wp9@jane.eu, thanks', [], null)).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://jane-project.eu/wp9', href: 'https://jane-project.eu/wp9' },
      { kind: 'text', text: '. Or write to ' },
      { kind: 'link', text: 'mailto:wp9@jane.eu', href: 'mailto:wp9@jane.eu' },
      { kind: 'text', text: ', thanks' },
    ]);
  });

  it('keeps a closing parenthesis that belongs to the address', () => {
    const segments = commentSegments('see https://en.wikipedia.org/wiki/Cancer_(disease) for it', [], null);
    expect(segments.find((s) => s.kind === 'link')?.text).toBe('https://en.wikipedia.org/wiki/Cancer_(disease)');
  });

  it('never links javascript: or other schemes, and shows markup as text', () => {
    const body = 'javascript:alert(1) <img src=x onerror=alert(1)> data:text/html,<b>x</b>';
    expect(commentSegments(body, [], null)).toEqual([{ kind: 'text', text: body }]);
  });

  it('does not link a bare scheme with no address', () => {
    expect(commentSegments('https:// is a prefix', [], null).some((s) => s.kind === 'link')).toBe(false);
  });

  it('links addresses next to mentions', () => {
    expect(commentSegments('@[u-jana] https://x.eu', [JANA], null).map((s) => s.kind)).toEqual(['mention', 'text', 'link']);
  });
});

describe('mentions as written and stored', () => {
  it('stores "@Full Name" of a member as that member\'s token', () => {
    expect(toStoredBody('Can @Jana Müller check?', [JANA])).toBe('Can @[u-jana] check?');
  });

  it('takes the longest matching name, so "@Ana Maria Costa" is not taken for "@Ana Maria"', () => {
    expect(toStoredBody('@Ana Maria Costa and @Ana Maria', [ANA, ANA_COSTA])).toBe('@[u-costa] and @[u-ana]');
  });

  it('does not store a name that only starts another word ("@Ana Mariana")', () => {
    expect(toStoredBody('@Ana Mariana', [ANA])).toBe('@Ana Mariana');
  });

  it('shows stored tokens as "@Full Name" again for editing, and unknown tokens as written', () => {
    expect(toEditableText('@[u-costa] and @[u-gone]', [ANA_COSTA])).toBe('@Ana Maria Costa and @[u-gone]');
  });

  it('round-trips: editing a stored comment and saving it again stores the same body', () => {
    const stored = 'Over to @[u-jana] and @[u-costa].';
    expect(toStoredBody(toEditableText(stored, [JANA, ANA_COSTA]), [JANA, ANA_COSTA])).toBe(stored);
  });

  it('finds names without accents or case ("muller" finds "Müller")', () => {
    expect(foldForSearch('Jana MÜLLER')).toBe('jana muller');
  });
});
