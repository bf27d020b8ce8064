"""The SQL/PartiQL tokenizer: comments, quoting, several statements, dialects, the worst wins."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsprof.guard import sql
from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, WRITE

ALL = (sql.MYSQL, sql.POSTGRESQL)

CASES = [
    # (dialects, text, kind)
    (ALL, "SELECT * FROM users", READ_ONLY),
    (ALL, "SELECT 'DROP TABLE users'", READ_ONLY),
    (ALL, 'SELECT "drop" FROM t', READ_ONLY),
    (ALL, "select id from t where updated_at > now() -- then DELETE", READ_ONLY),
    (ALL, "SELECT 1 /* DROP TABLE t */", READ_ONLY),
    (ALL, "DELETE/**/FROM t", DESTRUCTIVE),
    (ALL, "SELECT 1; DROP TABLE t", DESTRUCTIVE),
    (ALL, "select 1;\n  truncate audit", DESTRUCTIVE),
    (ALL, "ALTER TABLE t DROP COLUMN c", DESTRUCTIVE),
    (ALL, "ALTER TABLE t ADD COLUMN c int", WRITE),
    (ALL, "CREATE TABLE t (id int REFERENCES p ON DELETE CASCADE)", WRITE),
    (ALL, "INSERT INTO t VALUES (1)", WRITE),
    (ALL, "UPDATE t SET a = 1", WRITE),
    (ALL, "SELECT * FROM t FOR UPDATE", READ_ONLY),
    (ALL, "SELECT replace(name, 'a', 'b') FROM t", READ_ONLY),
    (ALL, "WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone", DESTRUCTIVE),
    (ALL, "WITH x AS (SELECT 1) SELECT * FROM x", READ_ONLY),
    (ALL, "SELECT * INTO backup FROM t", WRITE),
    (ALL, "SELECT pg_terminate_backend(123)", DESTRUCTIVE),
    (ALL, "SELECT setval('s', 1)", WRITE),
    (ALL, "EXPLAIN SELECT * FROM t", READ_ONLY),
    (ALL, "EXPLAIN ANALYZE DELETE FROM t", DESTRUCTIVE),
    (ALL, "SHOW TABLES", READ_ONLY),
    (ALL, "GRANT SELECT ON t TO u", WRITE),
    (ALL, "REVOKE SELECT ON t FROM u", DESTRUCTIVE),
    (ALL, "VACUUM", WRITE),
    (ALL, "CALL cleanup()", WRITE),
    (ALL, "FROBNICATE t", WRITE),
    (ALL, "", WRITE),
    # MySQL: `#` comments hide a statement from MySQL only; PostgreSQL reads `#` as an operator.
    (ALL, "SELECT 1 # ; DROP TABLE t", DESTRUCTIVE),
    ((sql.MYSQL,), "SELECT 1 # ; DROP TABLE t", READ_ONLY),
    # MySQL's backslash escape ends the string elsewhere than standard SQL does.
    ((sql.MYSQL,), r"SELECT 'a\'; DROP TABLE t; --'", READ_ONLY),
    ((sql.POSTGRESQL,), r"SELECT 'a\'; DROP TABLE t; --'", DESTRUCTIVE),
    ((sql.POSTGRESQL,), r"SELECT E'a\'; DROP TABLE t; --'", READ_ONLY),
    # MySQL runs the text of `/*! ... */` comments.
    ((sql.MYSQL,), "SELECT 1 /*!50000 ; DROP TABLE t */", DESTRUCTIVE),
    ((sql.MYSQL,), "SELECT 1--1; DROP TABLE t", DESTRUCTIVE),
    (ALL, "SELECT 1 -- note\r; DROP TABLE t", DESTRUCTIVE),
    # PostgreSQL: nested comments and dollar quoting.
    ((sql.POSTGRESQL,), "SELECT 1 /* a /* b */ DROP TABLE t */", READ_ONLY),
    ((sql.MYSQL,), "SELECT 1 /* a /* b */ DROP TABLE t */", DESTRUCTIVE),
    ((sql.POSTGRESQL,), "SELECT $$DROP TABLE t$$", READ_ONLY),
    ((sql.POSTGRESQL,), "SELECT $tag$ ; DROP $tag$", READ_ONLY),
    ((sql.POSTGRESQL,), "DO $$ BEGIN DELETE FROM t; END $$", DESTRUCTIVE),
    ((sql.MYSQL,), "SELECT `drop` FROM t", READ_ONLY),
    # Redshift deletes without FROM.
    ((sql.REDSHIFT,), "DELETE sales", DESTRUCTIVE),
    ((sql.REDSHIFT,), "UNLOAD ('select * from t') TO 's3://b/p' IAM_ROLE 'r'", WRITE),
    # Athena/Trino.
    ((sql.TRINO,), 'SELECT * FROM "db"."delete" LIMIT 10', READ_ONLY),
    ((sql.TRINO,), "MSCK REPAIR TABLE logs", WRITE),
    ((sql.TRINO,), "VACUUM iceberg_table", DESTRUCTIVE),
    ((sql.TRINO,), "ALTER TABLE logs DROP PARTITION (dt='2024-01-01')", DESTRUCTIVE),
    ((sql.TRINO,), "CREATE TABLE t2 AS SELECT * FROM t", WRITE),
    # PartiQL.
    ((sql.PARTIQL,), "SELECT * FROM \"Music\" WHERE Artist='DELETE'", READ_ONLY),
    ((sql.PARTIQL,), "DELETE FROM \"Music\" WHERE Artist='Acme'", DESTRUCTIVE),
    ((sql.PARTIQL,), "INSERT INTO Music VALUE {'Artist':'Acme'}", WRITE),
    ((sql.PARTIQL,), "UPDATE Music SET Plays = 1 WHERE Artist = 'a'", WRITE),
    ((sql.PARTIQL,), "EXISTS(SELECT * FROM t WHERE pk = 1)", READ_ONLY),
]


@pytest.mark.parametrize(("dialects", "text", "kind"), CASES, ids=[c[1][:50] for c in CASES])
def test_statement_kind(dialects: tuple[str, ...], text: str, kind: object) -> None:
    assert sql.judge(text, dialects)[0] is kind


@pytest.mark.parametrize(
    ("dialects", "text"),
    [
        (ALL, "SELECT 'unterminated"),
        (ALL, "SELECT 1 /* never closed"),
        ((sql.POSTGRESQL,), "SELECT $$ open"),
        ((sql.POSTGRESQL,), "SELECT /* /* */ still open"),
    ],
)
def test_text_that_cannot_be_split_is_refused(dialects: tuple[str, ...], text: str) -> None:
    with pytest.raises(sql.Unparsable):
        sql.judge(text, dialects)


def test_the_worst_statement_names_itself() -> None:
    assert sql.judge("SELECT 1; INSERT INTO t VALUES (1); DROP VIEW v", ALL) == (
        DESTRUCTIVE,
        "DROP",
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SELECT cleanup_old_rows()", WRITE),
        ("SELECT app.purge_sessions(30)", WRITE),
        ("SELECT count(*), max(a), coalesce(b, 0) FROM t WHERE c IN (1, 2)", READ_ONLY),
        (
            "SELECT date_trunc('day', ts), to_char(now(), 'YYYY'), x::numeric(10, 2) FROM t",
            READ_ONLY,
        ),
        ("SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t", READ_ONLY),
        ("SELECT * FROM (SELECT 1) AS s JOIN u USING (id)", READ_ONLY),
        ("WITH x AS (SELECT 1) SELECT * FROM x WHERE EXISTS (SELECT 1)", READ_ONLY),
    ],
)
def test_a_select_that_calls_a_user_function_may_write(text: str, kind: object) -> None:
    # A function written by the database's users may change anything (MySQL, PostgreSQL).
    assert sql.judge(text, ALL)[0] is kind
    assert sql.judge(text, (sql.PARTIQL,))[0] is READ_ONLY  # PartiQL's functions are built-in


# Text made of the characters that open and close literals and comments in some dialect.
NOISE = st.text(alphabet="ab 1;'\"`$#-/*!\\\n\rEe()[]", max_size=40)
DIALECTS = st.sampled_from(
    [ALL, (sql.REDSHIFT,), (sql.TRINO,), (sql.PARTIQL,), (sql.MYSQL,), (sql.POSTGRESQL,)]
)


@settings(max_examples=400, deadline=None)
@given(prefix=NOISE, dialects=DIALECTS)
def test_nothing_before_a_statement_hides_it(prefix: str, dialects: tuple[str, ...]) -> None:
    # Whatever comes first, a DROP after a line break and a `;` is seen, or the text is refused
    # as unreadable (an unterminated literal or comment), which the rules judge destructive.
    try:
        kind, _ = sql.judge(prefix + "\r;DROP TABLE x", dialects)
    except sql.Unparsable:
        return
    assert kind is DESTRUCTIVE
