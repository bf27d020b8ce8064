"""Hypothesis generators of AWS INI files full of the quirks botocore's reader has.

Files are built line by line from fragments (headers of every shape botocore treats specially,
keys with both delimiters, nested blocks, comments, odd whitespace) joined with mixed line endings,
sometimes with a BOM or without a final newline. Most generated files are valid; enough are not
that rejection is exercised as often as acceptance.
"""

from __future__ import annotations

from hypothesis import strategies as st

HEADERS = [
    "[default]",
    "[profile default]",
    "[profile a]",
    "[profile b]",
    "[profile A]",
    "[profile dev]",
    '[profile "a b"]',
    "[profile 'a b']",
    "[profile a b]",
    "[profilefoo]",
    "[profile]",
    "[profile  a]",
    "[profile a]  ",
    "[profile a] # trailing",
    "[profile 'it'\"'\"'s']",
    "[profile it\\'s]",
    '[profile "unbalanced]',
    "[profile\ta]",
    "[profile\xa0a]",
    "[profile x]y]",
    "[DEFAULT]",
    "[sso-session s]",
    "[sso-session 'x y']",
    "[sso-session]",
    "[services svc]",
    "[services]",
    "[plugins]",
    "[preview]",
    "[a]",
    "  [default]",
    "\t[profile b]",
    "[ default ]",
    "[x",
    "[]",
]

KEYS = [
    "region = us-east-1",
    "Region = eu-west-1",
    "REGION=x",
    "output: json",
    "output : text",
    "region = us-east-1 # not a comment",
    "a = 1 ; not a comment",
    "a=",
    "s3 =",
    "x = [y]",
    "k : v = w",
    "k = v : w",
    "= v",
    ": v",
    "novalue",
    "aws_access_key_id = AKIDEXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sso_session = s",
    "services = svc",
    "key\x0c= v",
    "quoted = 'q'",
    'dq = "q"',
    "eq = a=b",
    "sp ace = 1",
    "tail = v\x1c",
    "uni = \xe9t\xe9",
]

INDENTED = [
    "    max_concurrent_requests = 10",
    "  addressing_style = path",
    "    Endpoint_URL = http://localhost",
    "    bad nested line",
    "\tcont",
    "  # indented comment",
    "  ; indented comment",
    "   ",
    "\x0c",
    "\x1c x = 1",
    "\xa0y = 2",
    "\u3000z = 3",
    "    [profile a]",
    "    region = us-west-2",
    "      deep = 1",
    "  a\x0bb = c",
    "  a = b\x85c = d",
]

COMMENTS = ["# c", "; c", "#[profile z]", "# region = x", ";[default]", "  #x"]
BLANKS = ["", " ", "\t", "\xa0"]

_NOISE = st.text(alphabet=" \t[]=:#;'\"aAbp\x0c\x1c\xa0\x85\u2028", max_size=10)

LINE = st.one_of(
    st.sampled_from(HEADERS),
    st.sampled_from(HEADERS),
    st.sampled_from(KEYS),
    st.sampled_from(KEYS),
    st.sampled_from(INDENTED),
    st.sampled_from(COMMENTS),
    st.sampled_from(BLANKS),
    _NOISE,
)

ENDING = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


VALID_HEADERS = [h for h in HEADERS if h not in ("[x", "[]")]
VALID_KEYS = [k for k in KEYS if not k.startswith(("=", ":", "novalue"))]
NESTED = st.lists(st.sampled_from([*INDENTED[:3], "    region = r", "      deep = 1"]), max_size=3)


def _key_of(line: str) -> str:
    return line.replace(":", "=").partition("=")[0].strip().lower()


@st.composite
def _section(draw: st.DrawFn, header: str) -> list[str]:
    """A header and a body that botocore accepts more often than not (keys mostly distinct)."""
    lines = [header]
    keys = draw(st.lists(st.sampled_from(VALID_KEYS), max_size=4, unique_by=_key_of))
    for key in keys:
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            lines.append(key)
        elif kind <= 7:
            lines.append(f"{_key_of(key)} =")  # a nested block under that key
            lines.extend(draw(NESTED))
        elif kind == 8:
            lines.append(draw(st.sampled_from(COMMENTS + BLANKS)))
        else:
            lines.append(draw(LINE))  # anything at all, to break it now and then
    return lines


@st.composite
def _structured(draw: st.DrawFn) -> list[str]:
    lines = draw(st.lists(st.sampled_from(COMMENTS + BLANKS), max_size=2))
    for header in draw(st.lists(st.sampled_from(VALID_HEADERS), max_size=5, unique=True)):
        lines.extend(draw(_section(header)))
    return lines


@st.composite
def ini_texts(draw: st.DrawFn, lines: st.SearchStrategy[str] = LINE, max_lines: int = 14) -> str:
    """A file's text: fragments with mixed endings, maybe a BOM, maybe no final newline."""
    if draw(st.sampled_from(range(3))) == 1:
        body = draw(st.lists(lines, max_size=max_lines))
    else:
        body = draw(_structured())
    endings = draw(st.lists(ENDING, min_size=len(body), max_size=len(body)))
    if body and draw(st.sampled_from(range(4))) == 1:
        endings[-1] = ""
    text = "".join(line + end for line, end in zip(body, endings, strict=True))
    if draw(st.sampled_from(range(40))) == 17:  # rare; not index 0, which hypothesis favours
        text = "\ufeff" + text
    return text


# Lines that keep a file valid most of the time: the round-trip property needs accepted files.
TAME_HEADERS = [
    "[default]",
    "[profile a]",
    "[profile b]",
    '[profile "a b"]',
    "[profile 'c d']",
    "[profile dev]",
    "[sso-session s]",
    "[services svc]",
    "[plugins]",
    "  [profile e]",
    "[ default ]",
    "[profilefoo]",
    "[DEFAULT]",
]
TAME_KEYS = [
    "region = us-east-1",
    "Output = json",
    "x = [y]",
    "a = 1 # inline",
    "k: v",
    "s3 =",
    "sso_session=s",
    "aws_access_key_id = AKIDEXAMPLE",
]
TAME_INDENTED = ["    max_concurrent_requests = 10", "    addressing_style = path", "  # c", "  "]
TAME_LINE = st.one_of(
    st.sampled_from(TAME_HEADERS),
    st.sampled_from(TAME_KEYS),
    st.sampled_from(TAME_KEYS),
    st.sampled_from(TAME_INDENTED),
    st.sampled_from(COMMENTS),
    st.sampled_from(["", "", " "]),
)
