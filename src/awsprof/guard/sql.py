"""What SQL or PartiQL text will do: read, write or destroy, by its strongest statement.

A keyword search is easy to defeat (`DELETE/**/FROM t`, `SELECT 1; DROP TABLE t`) and easy to
fool the other way (`SELECT 'DROP'`), so the text is tokenized as each engine reads it: comments,
string literals and quoted identifiers are set aside, statements are split at top-level `;`, and
only the remaining words are judged.

Dialects differ in ways that can hide a statement from a reader of the wrong dialect (MySQL's `#`
comments and backslash escapes, PostgreSQL's nested comments, `$$` quoting and `E'...'` strings,
MySQL's `/*! ... */` comments that are executed). When the engine cannot be known from the command
(the RDS Data API reaches MySQL or PostgreSQL), the text is read in every possible dialect and the
worst reading counts.
"""

from __future__ import annotations

from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, WRITE, Kind

MYSQL, POSTGRESQL, REDSHIFT, TRINO, PARTIQL = "mysql", "postgresql", "redshift", "trino", "partiql"

_RANK = {READ_ONLY: 0, WRITE: 1, DESTRUCTIVE: 2}

# First word of a statement that only reads (or only frames a transaction).
_READ_FIRST = frozenset(
    {
        "SELECT",
        "SHOW",
        "DESCRIBE",
        "DESC",
        "EXPLAIN",
        "VALUES",
        "TABLE",
        "WITH",
        "BEGIN",
        "START",
        "COMMIT",
        "END",
        "ROLLBACK",
        "USE",
        "EXISTS",  # PartiQL condition checks in execute-transaction
    }
)
# Words that destroy wherever they appear outside literals (`ALTER TABLE t DROP COLUMN c`,
# `MERGE ... WHEN MATCHED THEN DELETE`, `WITH d AS (DELETE ...) SELECT ...`).
_DESTRUCTIVE_WORDS = frozenset({"DROP", "TRUNCATE", "DELETE", "PURGE"})
_DESTRUCTIVE_FIRST = frozenset({"REVOKE", "DETACH"})
# Words that write wherever they appear (`WITH x AS (INSERT ...)`, `SELECT ... INTO new_table`).
_WRITE_WORDS = frozenset({"INSERT", "UPDATE", "MERGE", "UPSERT", "INTO", "REPLACE"})
# `ON DELETE CASCADE`, `FOR UPDATE`, `ON UPDATE CURRENT_TIMESTAMP`: clauses, not statements.
_CLAUSE_BEFORE = frozenset({"ON", "FOR", "KEY"})
# Functions a SELECT can call that change or destroy (PostgreSQL, Aurora extensions).
_DESTRUCTIVE_FUNCTIONS = frozenset(
    {"PG_TERMINATE_BACKEND", "LO_UNLINK", "PG_DROP_REPLICATION_SLOT", "PG_CANCEL_BACKEND"}
)
_WRITE_FUNCTIONS = frozenset(
    {
        "SETVAL",
        "NEXTVAL",
        "SET_CONFIG",
        "PG_RELOAD_CONF",
        "DBLINK_EXEC",
        "LO_IMPORT",
        "LO_EXPORT",
        "INVOKE",  # aws_lambda.invoke
        "QUERY_EXPORT_TO_S3",
        "TABLE_IMPORT_FROM_S3",
        "LAMBDA_SYNC",
        "LAMBDA_ASYNC",
        "MYSQL.LAMBDA_ASYNC",
    }
)

# In MySQL, PostgreSQL and Redshift a SELECT may call a function the database's users wrote, which
# may change anything: a call is trusted only when it is one of these built-ins, or a keyword
# followed by a parenthesis (`IN (`, `OVER (`, `numeric(10, 2)`).
_PURE_CALL_NAMES = """
ABS ACOS AGE ANY ARRAY ARRAY_AGG ARRAY_LENGTH ARRAY_TO_STRING AS ASCII ASIN ATAN AVG BETWEEN
BIGINT BIT_LENGTH BOOL_AND BOOL_OR BTRIM BY CASE CAST CBRT CEIL CEILING CHAR CHARACTER
CHAR_LENGTH CHARINDEX CHECKSUM CHR COALESCE CONCAT CONCAT_WS CONVERT CONVERT_TZ COS COUNT
CUME_DIST CURDATE CURRENT_DATE CURRENT_SETTING CURRENT_TIME CURRENT_TIMESTAMP CURTIME DATE
DATEADD DATEDIFF DATE_ADD DATE_FORMAT DATE_PART DATE_SUB DATE_TRUNC DAY DAYOFWEEK DECIMAL
DECODE DEGREES DENSE_RANK DISTINCT DIV DOUBLE ELSE ENCODE EXISTS EXP EXTRACT FIELD FILTER
FIND_IN_SET FIRST_VALUE FLOAT FLOOR FORMAT FROM FROM_UNIXTIME GENERATE_SERIES GETDATE
GREATEST GROUP GROUPING GROUP_CONCAT HASHTEXT HOUR IF IFNULL IIF IN INET INITCAP INSTR INT
INTEGER INTERVAL ISNULL JOIN JSON_AGG JSON_ARRAYAGG JSON_BUILD_OBJECT JSON_EXTRACT
JSON_EXTRACT_PATH_TEXT JSON_OBJECT JSON_OBJECTAGG JSON_UNQUOTE JSONB_AGG JSONB_BUILD_OBJECT
JSONB_EXTRACT_PATH_TEXT LAG LAST_DAY LAST_VALUE LCASE LEAD LEAST LEFT LEN LENGTH LIKE LIMIT
LISTAGG LN LOCATE LOG LOG10 LOWER LPAD LTRIM MAKE_DATE MAX MD5 MEDIAN MICROSECOND MIN MINUTE
MOD MONTH MONTHNAME NOT NOW NTH_VALUE NTILE NULLIF NUMERIC NVL NVL2 OCTET_LENGTH ON OR OVER
PARTITION PERCENT_RANK PERCENTILE_CONT PERCENTILE_DISC PI POSITION POW POWER QUARTER RADIANS
RAND RANDOM RANK REAL REGEXP_LIKE REGEXP_MATCHES REGEXP_REPLACE REGEXP_SUBSTR REPEAT REPLACE
REVERSE RIGHT ROUND ROW ROW_NUMBER RPAD RTRIM SECOND SELECT SHA1 SHA2 SIGN SIN SMALLINT
SPLIT_PART SQRT STDDEV STDDEV_POP STDDEV_SAMP STR_TO_DATE STRING_AGG STRPOS SUBSTR SUBSTRING
SUBSTRING_INDEX SUM SYSDATE TAN TEXT TIME TIMESTAMP TIMESTAMPDIFF TIMEZONE TO_CHAR TO_DATE
TO_JSON TO_NUMBER TO_TIMESTAMP TRANSLATE TRIM TRUNC TRUNCATE_DATE TYPEOF UCASE
UNIX_TIMESTAMP UNNEST UPPER USING UUID VALUES VAR_POP VAR_SAMP VARCHAR VARIANCE VERSION WEEK
WHEN WHERE WITHIN YEAR AND THEN EXPLAIN ANALYZE
"""
_PURE_CALLS = frozenset(_PURE_CALL_NAMES.split())
_USER_FUNCTION_DIALECTS = frozenset({MYSQL, POSTGRESQL, REDSHIFT})


class Unparsable(Exception):
    """The text cannot be split into statements (an unterminated literal or comment)."""


def _words(text: str, dialect: str) -> list[list[str]]:
    """The statements of `text`, each as its bare words (upper case), literals left out."""
    statements: list[list[str]] = [[]]
    i, n = 0, len(text)
    mysql = dialect == MYSQL
    pg_like = dialect in (POSTGRESQL, REDSHIFT)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == ";":
            statements.append([])
            i += 1
        elif c == "-" and text.startswith("--", i):
            # MySQL needs a space after `--` for a comment: `1--1` is arithmetic.
            if mysql and i + 2 < n and not text[i + 2].isspace():
                i += 2
                continue
            i = _line_end(text, i)
        elif c == "#" and mysql:
            i = _line_end(text, i)
        elif c == "/" and text.startswith("/*", i):
            if mysql and text.startswith("/*!", i):
                # Executed by MySQL: its content is code (after an optional version number).
                i += 3
                while i < n and text[i].isdigit():
                    i += 1
                continue
            i = _skip_block_comment(text, i, nested=pg_like)
        elif mysql and c == "*" and text.startswith("*/", i):
            i += 2  # the end of a `/*! ... */` block read as code
        elif c in "'\"`":
            escapes = mysql or (
                pg_like and c == "'" and i > 0 and text[i - 1] in "eE" and _starts_word(text, i - 1)
            )
            i = _skip_quoted(text, i, c, escapes=escapes and c != "`")
        elif c == "[" and dialect == TRINO:
            i += 1
        elif c == "$" and pg_like:
            tag_end = text.find("$", i + 1)
            tag = text[i : tag_end + 1] if tag_end > 0 else ""
            inner = tag[1:-1]
            if tag and all(ch.isalnum() or ch == "_" for ch in inner) and not inner[:1].isdigit():
                close = text.find(tag, tag_end + 1)
                if close < 0:
                    raise Unparsable(f"an unterminated {tag} quote")
                if statements[-1][:1] == ["DO"]:
                    # An anonymous block: its quoted body runs now.
                    body = _words(text[tag_end + 1 : close], dialect)
                    statements[-1].extend(word for words in body for word in words)
                i = close + len(tag)
            else:
                i += 1
        elif c.isalpha() or c == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] in "_$."):
                i += 1
            word = text[start:i].upper()
            statements[-1].append(word.rsplit(".", 1)[-1] if "." in word else word)
        elif c == "(":
            statements[-1].append("(")
            i += 1
        else:
            i += 1
    return [statement for statement in statements if statement]


def _line_end(text: str, i: int) -> int:
    """Where a `--` or `#` comment ends: after the first line break, `\r` or `\n` (a comment
    that read on past a lone `\r` would hide the statement after it)."""
    ends = [end for end in (text.find("\n", i), text.find("\r", i)) if end >= 0]
    return min(ends) + 1 if ends else len(text)


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def _skip_block_comment(text: str, i: int, *, nested: bool) -> int:
    depth, i = 1, i + 2
    while depth:
        close = text.find("*/", i)
        if close < 0:
            raise Unparsable("an unterminated /* comment")
        opened = text.find("/*", i, close) if nested else -1
        if opened >= 0:
            depth, i = depth + 1, opened + 2
        else:
            depth, i = depth - 1, close + 2
    return i


def _skip_quoted(text: str, i: int, quote: str, *, escapes: bool) -> int:
    i += 1
    while i < len(text):
        c = text[i]
        if escapes and c == "\\":
            i += 2
            continue
        if c == quote:
            if text.startswith(quote * 2, i):
                i += 2  # a doubled quote stands for itself
                continue
            return i + 1
        i += 1
    raise Unparsable(f"an unterminated {quote} quote")


def _statement(words: list[str], dialect: str) -> tuple[Kind, str]:
    """The kind of one statement and the words that made it so."""
    first = words[0]
    if first == "(":
        first = next((word for word in words if word != "("), "(")
    previous = ""
    destroys = writes = ""
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word in _DESTRUCTIVE_WORDS and previous not in _CLAUSE_BEFORE and not destroys:
            destroys = word
        elif word in _DESTRUCTIVE_FUNCTIONS and following == "(":
            destroys = destroys or f"{word.lower()}()"
        elif word in _WRITE_FUNCTIONS and following == "(":
            writes = writes or f"{word.lower()}()"
        elif (
            following == "("
            and dialect in _USER_FUNCTION_DIALECTS
            and word not in _PURE_CALLS
            and word != "("
            and previous not in ("AS", "INTO", "TABLE", "JOIN", "FROM", "UPDATE", "EXISTS")
        ):
            writes = writes or f"{word.lower()}() (a function that may change data)"
        elif (
            word in _WRITE_WORDS
            and previous not in _CLAUSE_BEFORE
            and index
            and not writes
            and (word != "REPLACE" or previous == "OR")  # not the function replace()
        ):
            writes = word
        previous = word
    if dialect == TRINO and first == "VACUUM":
        return DESTRUCTIVE, "VACUUM (removes old snapshots and files)"
    if destroys or first in _DESTRUCTIVE_FIRST:
        return DESTRUCTIVE, destroys or first
    if first == "EXPLAIN" and "ANALYZE" not in words[1:3]:
        return READ_ONLY, "EXPLAIN"
    if first in _READ_FIRST and not writes:
        return READ_ONLY, first
    return WRITE, writes or first


def judge(text: str, dialects: tuple[str, ...]) -> tuple[Kind, str]:
    """(kind, what made it so) for `text` in the worst of `dialects`; raises Unparsable."""
    worst: tuple[Kind, str] | None = None
    for dialect in dialects:
        statements = _words(text, dialect)
        for words in statements:
            kind, why = _statement(words, dialect)
            if worst is None or _RANK[kind] > _RANK[worst[0]]:
                worst = (kind, why)
    if worst is None:
        return WRITE, "no statement"  # the service rejects it; nothing known is claimed safe
    return worst
