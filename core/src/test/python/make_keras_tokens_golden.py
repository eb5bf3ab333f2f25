#!/usr/bin/env python3
"""Writes the golden fixture of KerasTokenizerGoldenTest.

Follows the documented algorithm of Keras' text_to_word_sequence (keras.preprocessing.text, default arguments:
filters '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\\t\\n', lower=True, split=' '):

    text = text.lower()
    text = text.translate(str.maketrans({c: ' ' for c in filters}))
    tokens = [t for t in text.split(' ') if t]

so only the filter characters and ' ' separate tokens: '\\r', '\\x0b', '\\x0c', U+0085 and U+00A0 stay inside them.
Before that, review-rnn replaces HTML line breaks (<br>, <br/>, <BR /> with ASCII whitespace inside) by a space.

Usage (from the repository root):
    python3 core/src/test/python/make_keras_tokens_golden.py aclImdb-labeled.tar.gz core/src/test/resources/golden
Writes keras_tokens_tricky.json (text and tokens of hand-picked strings) and
keras_tokens_imdb.tsv (entry name, token count, first 16 hex digits of the SHA-256 of the tokens joined
by '\\n') for the first 2,000 reviews of the archive and every other review holding '\\r', '\\x0b', '\\x0c', U+0085
or U+00A0. The reviews themselves are not written.
"""
import hashlib
import json
import re
import sys
import tarfile

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
BR = re.compile(r'<br[ \t\n\r\f\v]*/?[ \t\n\r\f\v]*>', re.IGNORECASE)
SPECIAL = '\r\x0b\x0c\x85\xa0'


def text_to_word_sequence(text, filters=FILTERS, lower=True, split=' '):
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans({c: split for c in filters}))
    return [t for t in text.split(split) if t]


def tokens(review):
    return text_to_word_sequence(BR.sub(' ', review))


TRICKY = [
    'Hello, World! This is GREAT.',
    'line one\r\nline two\rthree',
    'tab\there\x0bvertical\x0cform feed',
    'next\x85line and no\xa0break space, figure\u2007space, narrow\u202fnbsp',
    'ideographic\u3000space and em\u2003space',
    'a<br />b<BR>c<br/>d<br\t/ >e<bR  >f<brx>g<b r/>h',
    "don't stop-believing... it's 5:30pm; e-mail: a@b.com",
    '  leading and trailing  ',
    '',
    '!!!',
    'UPPER İstanbul ΣΊΣΥΦΟΣ straße ǅ',
    'emoji 😀 and café naïve',
    'under_score back\\slash {braces} [brackets] ~tilde `tick` |pipe|',
]


def main():
    archive, out = sys.argv[1], sys.argv[2]
    with open(out + '/keras_tokens_tricky.json', 'w', encoding='utf-8') as f:
        json.dump([{'text': t, 'tokens': tokens(t)} for t in TRICKY], f, ensure_ascii=True, indent=1)
        f.write('\n')
    rows = []
    with tarfile.open(archive) as tar:
        n = 0
        for m in tar:
            if not (m.isfile() and m.name.endswith('.txt')):
                continue
            review = tar.extractfile(m).read().decode('utf-8')
            if n < 2000 or any(c in review for c in SPECIAL):
                ts = tokens(review)
                digest = hashlib.sha256('\n'.join(ts).encode('utf-8')).hexdigest()[:16]
                rows.append('%s\t%d\t%s\n' % (m.name, len(ts), digest))
            n += 1
    with open(out + '/keras_tokens_imdb.tsv', 'w', encoding='utf-8') as f:
        f.writelines(rows)


if __name__ == '__main__':
    main()
