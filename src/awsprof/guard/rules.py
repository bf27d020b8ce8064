"""Argument- and payload-aware rules, applied on top of the operation-name tables in `verbs.py`.

An operation's name says what it usually does; some arguments say more. `update-detector` is a
write until it carries `--no-enable`; `change-resource-record-sets` is a write until its change
batch holds a `DELETE`; `execute-statement` is whatever its SQL is. Every such rule is one row of
`RULES`, reviewed here and each tested in tests/guard/test_rules.py:

    (service, operation, argument, path, condition, kind, reason)

- argument: the CLI option (`--change-batch`); its value may be inline, JSON, shorthand, a
  `file://` / `fileb://` file, or a key of `--cli-input-json/yaml` (`ChangeBatch`).
- path: where to look inside the value (`Changes[].Action`; `[]` every item, `*` every member,
  `[Key=x]` items whose Key is x). "" is the value itself, as text: never parsed as shorthand.
- condition: `given` (the option is on the line), `unless:--x` (it is, without `--x`), `has`
  (the path holds something), `absent` (a value without it), `is:a|b` (a value there is one
  of these, case-insensitive; booleans read as true/false), `zero`
  (a number there is 0), `shell` (command text that removes data or stops a machine),
  `sql:<dialect>|...` (SQL or PartiQL: the kind comes from its strongest statement).
- kind: what the command is when the condition holds. `destructive` and `write` only ever raise a
  verdict; `read-only` (for calls whose name sounds like a write) and `sql` set it.
- reason: one sentence naming the argument, shown in the box and in `guard --dry-run` JSON.

When the value cannot be read or parsed, the rule assumes the worst the operation can do (its
kind, or destructive for `sql`, `shell` and `read-only` rules) and says so.
"""

from __future__ import annotations

from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, WRITE, Kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

Rule = tuple[str, str, str, str, str, str, str]

_D, _W, _R, _SQL = "destructive", "write", "read-only", "sql"
_SQL_RDS = "sql:mysql|postgresql"  # the Data API reaches Aurora MySQL or PostgreSQL

# fmt: off
RULES: tuple[Rule, ...] = (
    # -- Payloads that delete -------------------------------------------------------------------
    ("route53", "change-resource-record-sets", "--change-batch", "Changes[].Action",
     "is:delete", _D, "`--change-batch` holds a DELETE: DNS records are removed"),
    ("dynamodb", "batch-write-item", "--request-items", "*[].DeleteRequest", "has", _D,
     "`--request-items` holds a DeleteRequest: items are deleted"),
    ("dynamodb", "transact-write-items", "--transact-items", "[].Delete", "has", _D,
     "`--transact-items` holds a Delete: items are deleted"),
    ("s3api", "put-bucket-lifecycle-configuration", "--lifecycle-configuration",
     "Rules[].Expiration", "has", _D,
     "`--lifecycle-configuration` has an Expiration rule: objects are deleted"),
    ("s3api", "put-bucket-lifecycle-configuration", "--lifecycle-configuration",
     "Rules[].NoncurrentVersionExpiration", "has", _D,
     "`--lifecycle-configuration` expires noncurrent versions: old versions are deleted"),
    ("s3api", "put-bucket-lifecycle", "--lifecycle-configuration", "Rules[].Expiration", "has", _D,
     "`--lifecycle-configuration` has an Expiration rule: objects are deleted"),
    # WAF Classic edits its conditions, rules and web ACLs as lists of INSERT/DELETE updates.
    *(
        (service, operation, "--updates", "[].Action", "is:delete", _D,
         "`--updates` holds a DELETE: a WAF condition, rule or address is removed")
        for service in ("waf", "waf-regional")
        for operation in (
            "update-byte-match-set", "update-geo-match-set", "update-ip-set",
            "update-rate-based-rule", "update-regex-match-set", "update-regex-pattern-set",
            "update-rule", "update-rule-group", "update-size-constraint-set",
            "update-sql-injection-match-set", "update-web-acl", "update-xss-match-set",
        )
    ),
    ("apigateway", "test-invoke-method", "--http-method", "", "is:delete", _D,
     "`--http-method DELETE` calls the real backend, which deletes"),
    # -- Statements -------------------------------------------------------------------------------
    ("dynamodb", "execute-statement", "--statement", "", "sql:partiql", _SQL,
     "`--statement` runs PartiQL"),
    ("dynamodb", "batch-execute-statement", "--statements", "[].Statement", "sql:partiql", _SQL,
     "`--statements` run PartiQL"),
    ("dynamodb", "execute-transaction", "--transact-statements", "[].Statement", "sql:partiql",
     _SQL, "`--transact-statements` run PartiQL"),
    ("rds-data", "execute-statement", "--sql", "", _SQL_RDS, _SQL, "`--sql` runs SQL"),
    ("rds-data", "batch-execute-statement", "--sql", "", _SQL_RDS, _SQL, "`--sql` runs SQL"),
    ("redshift-data", "execute-statement", "--sql", "", "sql:redshift", _SQL, "`--sql` runs SQL"),
    ("redshift-data", "batch-execute-statement", "--sqls", "", "sql:redshift", _SQL,
     "`--sqls` run SQL"),
    ("athena", "start-query-execution", "--query-string", "", "sql:trino", _SQL,
     "`--query-string` runs SQL"),
    # -- Protection switched off ----------------------------------------------------------------
    ("guardduty", "update-detector", "--no-enable", "", "given", _D,
     "`--no-enable` switches threat detection off"),
    ("cloudtrail", "update-trail", "--no-enable-log-file-validation", "", "given", _D,
     "`--no-enable-log-file-validation` stops proving log files untampered"),
    ("cloudtrail", "update-trail", "--no-is-multi-region-trail", "", "given", _D,
     "`--no-is-multi-region-trail` stops logging the other regions"),
    ("cloudtrail", "update-trail", "--no-include-global-service-events", "", "given", _D,
     "`--no-include-global-service-events` stops logging IAM and other global services"),
    ("s3api", "put-public-access-block", "--public-access-block-configuration", "*", "is:false",
     _D, "`--public-access-block-configuration` sets a Block Public Access setting to false"),
    ("s3control", "put-public-access-block", "--public-access-block-configuration", "*",
     "is:false", _D,
     "`--public-access-block-configuration` sets a Block Public Access setting to false"),
    ("s3api", "put-bucket-versioning", "--versioning-configuration", "Status", "is:suspended", _D,
     "`--versioning-configuration Status=Suspended` stops keeping old versions"),
    ("s3api", "put-bucket-versioning", "--versioning-configuration", "MFADelete", "is:disabled",
     _D, "`--versioning-configuration MFADelete=Disabled` lets versions be deleted without MFA"),
    ("s3api", "put-bucket-logging", "--bucket-logging-status", "LoggingEnabled", "absent", _D,
     "`--bucket-logging-status` without LoggingEnabled switches access logging off"),
    ("ec2", "modify-instance-attribute", "--disable-api-termination", "Value", "is:false", _D,
     "`--disable-api-termination Value=false` turns termination protection off"),
    ("ec2", "modify-instance-attribute", "--disable-api-stop", "Value", "is:false", _D,
     "`--disable-api-stop Value=false` turns stop protection off"),
    ("elbv2", "modify-load-balancer-attributes", "--attributes",
     "[Key=deletion_protection.enabled].Value", "is:false", _D,
     "`--attributes deletion_protection.enabled=false` turns deletion protection off"),
    ("elbv2", "modify-load-balancer-attributes", "--attributes",
     "[Key=access_logs.s3.enabled].Value", "is:false", _D,
     "`--attributes access_logs.s3.enabled=false` switches access logging off"),
    ("dynamodb", "update-continuous-backups", "--point-in-time-recovery-specification",
     "PointInTimeRecoveryEnabled", "is:false", _D,
     "`--point-in-time-recovery-specification` off deletes the point-in-time history"),
    ("dynamodb", "update-time-to-live", "--time-to-live-specification", "Enabled", "is:true", _D,
     "`--time-to-live-specification Enabled=true` makes DynamoDB delete expired items"),
    ("securityhub", "update-standards-control", "--control-status", "", "is:disabled", _D,
     "`--control-status DISABLED` stops a security check"),
    ("macie2", "update-macie-session", "--status", "", "is:paused", _D,
     "`--status PAUSED` stops Macie"),
    ("iam", "update-access-key", "--status", "", "is:inactive", _D,
     "`--status Inactive` makes the access key stop working"),
    ("iam", "update-signing-certificate", "--status", "", "is:inactive", _D,
     "`--status Inactive` makes the certificate stop working"),
    ("iam", "update-ssh-public-key", "--status", "", "is:inactive", _D,
     "`--status Inactive` makes the key stop working"),
    ("lambda", "update-event-source-mapping", "--no-enabled", "", "given", _D,
     "`--no-enabled` stops the function from processing its source"),
    ("events", "put-rule", "--state", "", "is:disabled", _D, "`--state DISABLED` stops the rule"),
    ("sesv2", "put-account-sending-attributes", "--no-sending-enabled", "", "given", _D,
     "`--no-sending-enabled` stops all email sending from the account"),
    ("ses", "update-account-sending-enabled", "--no-enabled", "", "given", _D,
     "`--no-enabled` stops all email sending from the account"),
    ("iot", "update-certificate", "--new-status", "", "is:revoked|inactive", _D,
     "`--new-status` off disconnects every device using the certificate"),
    ("ec2", "create-image", "--instance-id", "", "unless:--no-reboot", _D,
     "without `--no-reboot`, `--instance-id` is rebooted to take the image (an outage)"),
    # -- Capacity to zero and retention cut -----------------------------------------------------
    ("autoscaling", "update-auto-scaling-group", "--desired-capacity", "", "zero", _D,
     "`--desired-capacity 0` terminates every instance"),
    ("autoscaling", "update-auto-scaling-group", "--max-size", "", "zero", _D,
     "`--max-size 0` terminates every instance"),
    ("autoscaling", "set-desired-capacity", "--desired-capacity", "", "zero", _D,
     "`--desired-capacity 0` terminates every instance"),
    ("autoscaling", "put-scheduled-update-group-action", "--desired-capacity", "", "zero", _D,
     "`--desired-capacity 0` will terminate every instance"),
    ("autoscaling", "put-scheduled-update-group-action", "--max-size", "", "zero", _D,
     "`--max-size 0` will terminate every instance"),
    ("application-autoscaling", "register-scalable-target", "--max-capacity", "", "zero", _D,
     "`--max-capacity 0` scales the target to nothing"),
    ("globalaccelerator", "update-endpoint-group", "--traffic-dial-percentage", "", "zero", _D,
     "`--traffic-dial-percentage 0` sends no traffic to the region"),
    ("ecs", "update-service", "--desired-count", "", "zero", _D,
     "`--desired-count 0` stops every task of the service"),
    ("eks", "update-nodegroup-config", "--scaling-config", "desiredSize", "zero", _D,
     "`--scaling-config desiredSize=0` terminates every node"),
    ("eks", "update-nodegroup-config", "--scaling-config", "maxSize", "zero", _D,
     "`--scaling-config maxSize=0` terminates every node"),
    ("emr", "modify-instance-groups", "--instance-groups", "[].InstanceCount", "zero", _D,
     "`--instance-groups InstanceCount=0` terminates the group's instances"),
    ("lambda", "put-function-concurrency", "--reserved-concurrent-executions", "", "zero", _D,
     "`--reserved-concurrent-executions 0` stops every invocation of the function"),
    ("rds", "modify-db-instance", "--backup-retention-period", "", "zero", _D,
     "`--backup-retention-period 0` deletes automated backups"),
    ("rds", "modify-db-cluster", "--backup-retention-period", "", "zero", _D,
     "`--backup-retention-period 0` deletes automated backups"),
    ("docdb", "modify-db-cluster", "--backup-retention-period", "", "zero", _D,
     "`--backup-retention-period 0` deletes automated backups"),
    ("neptune", "modify-db-cluster", "--backup-retention-period", "", "zero", _D,
     "`--backup-retention-period 0` deletes automated backups"),
    ("elasticache", "modify-replication-group", "--snapshot-retention-limit", "", "zero", _D,
     "`--snapshot-retention-limit 0` deletes automatic backups"),
    ("elasticache", "modify-cache-cluster", "--snapshot-retention-limit", "", "zero", _D,
     "`--snapshot-retention-limit 0` deletes automatic backups"),
    ("redshift", "modify-cluster", "--automated-snapshot-retention-period", "", "zero", _D,
     "`--automated-snapshot-retention-period 0` deletes automated snapshots"),
    ("logs", "put-retention-policy", "--retention-in-days", "", "given", _D,
     "`--retention-in-days` deletes log events older than the new period"),
    ("kinesis", "decrease-stream-retention-period", "--retention-period-hours", "", "given", _D,
     "`--retention-period-hours` makes older records unreadable"),
    ("sqs", "set-queue-attributes", "--attributes", "MessageRetentionPeriod", "has", _D,
     "`--attributes MessageRetentionPeriod` deletes messages older than the new period"),
    ("ecr", "put-lifecycle-policy", "--lifecycle-policy-text", "", "given", _D,
     "`--lifecycle-policy-text` makes ECR expire images"),
    ("cloudformation", "update-stack", "--stack-name", "", "given", _D,
     "`update-stack` removes resources the new template no longer has"),
    ("cloudformation", "execute-change-set", "--change-set-name", "", "given", _D,
     "`--change-set-name` runs a change set, which can remove or replace resources"),
    ("cloudformation", "update-stack-set", "--stack-set-name", "", "given", _D,
     "`update-stack-set` removes resources the new template no longer has"),
    ("cloudformation", "deploy", "--stack-name", "", "unless:--no-execute-changeset", _D,
     "`deploy` can remove or replace resources of an existing stack"),
    # -- Remote commands ------------------------------------------------------------------------
    ("ssm", "send-command", "--parameters", "", "shell", _D,
     "`--parameters` runs commands that remove data, stop the machine or hide what they run"),
    ("ssm", "start-session", "--parameters", "", "shell", _D,
     "`--parameters` runs commands that remove data, stop the machine or hide what they run"),
    ("ssm", "create-association", "--parameters", "", "shell", _D,
     "`--parameters` runs commands that remove data, stop the machine or hide what they run"),
    ("ssm", "start-automation-execution", "--parameters", "", "shell", _D,
     "`--parameters` runs commands that remove data, stop the machine or hide what they run"),
    ("ecs", "execute-command", "--command", "", "shell", _D,
     "`--command` removes data, stops the host or hides what it runs"),
    # -- Calls whose name sounds like a write but that change nothing ---------------------------
    ("apigateway", "test-invoke-method", "--http-method", "", "is:get|head|options", _R,
     "`--http-method GET` only reads through the real backend"),
)
# fmt: on

# Command text that removes data or stops a machine (shell, PowerShell, SQL through a client).
SHELL_DANGER = (
    r"\brm\s+(?:-\w*[rRf]|--recursive|--force)",
    r"\bmkfs(?:\.\w+)?\b",
    r"\bdd\b[^|;&]*\bof=",
    r"\b(?:wipefs|shred|fdisk|sfdisk|parted|blkdiscard)\b",
    r"\b(?:shutdown|poweroff|halt|reboot|init\s+[06])\b",
    r"\bsystemctl\s+(?:stop|disable|mask|poweroff|reboot|halt)\b",
    r"\bDROP\s+(?:DATABASE|TABLE|SCHEMA|USER)\b",
    r"\bTRUNCATE\s+(?:TABLE\s+)?\w",
    r"\bDELETE\s+FROM\b",
    r"\bRemove-Item\b",
    r"\b(?:Format-Volume|Clear-Disk|Stop-Computer|Restart-Computer)\b",
    r"\b(?:userdel|deluser)\b",
    r"\bkill(?:all)?\s+-(?:9|KILL)\b",
    r">\s*/dev/(?:sd|nvme|xvd)",
    r"\bdocker\s+(?:rm|rmi|system\s+prune|volume\s+rm)\b",
    r"\bkubectl\s+delete\b",
    r"\baws\s+\S+\s+(?:delete|terminate|remove)-",
    r"\baws\s+s3\s+(?:rm|rb)\b",
    # Text the guard cannot read: decoded or downloaded and handed to a shell.
    r"\|\s*(?:sudo\s+)?(?:ba|z|k|da)?sh\b",
    r"\beval\b",
    r"\bbase64\s+(?:-d|--decode)\b",
)

_KINDS = {_D: DESTRUCTIVE, _W: WRITE, _R: READ_ONLY}
_index: dict[tuple[str, str], list[Rule]] | None = None


def for_operation(service: str, operation: str) -> list[Rule]:
    """The rules of one operation (an index built on first use)."""
    global _index
    if _index is None:
        _index = {}
        for rule in RULES:
            _index.setdefault((rule[0], rule[1]), []).append(rule)
    return _index.get((service, operation), [])


def operations() -> frozenset[tuple[str, str]]:
    """Every operation with a rule (`verbs.RULED_OPERATIONS` keeps a copy)."""
    return frozenset((rule[0], rule[1]) for rule in RULES)


_RANK = {READ_ONLY: 0, WRITE: 1, DESTRUCTIVE: 2}


def stronger(a: Kind, b: Kind) -> Kind:
    return a if _RANK[a] >= _RANK[b] else b


def evaluate(
    rule: Rule, given: object, from_line: bool, has_option: Callable[[str], bool]
) -> tuple[Kind, str] | None:
    """(kind, reason) when `rule` holds for the argument's value, None when it does not.

    `given` is what the line gave (a list of strings, empty for a flag) or what
    `--cli-input-json/yaml` held (any structure). Raises `cli_input.Unreadable`.
    """
    from awsprof.guard import payload

    _, _, argument, path, condition, kind, reason = rule
    if condition == "given":
        return _KINDS[kind], reason
    if condition.startswith("unless:"):
        return None if has_option(condition[7:]) else (_KINDS[kind], reason)
    values = given if isinstance(given, list) and from_line else [given]
    if path == "":
        # The value as text (SQL, commands, a status): never parsed as shorthand.
        texts: list[object] = []
        for value in values:
            text = payload.text_of(value) if isinstance(value, str) and from_line else value
            texts.append(text)
        found = _flatten(_maybe_json_list(texts, from_line))
    elif from_line:
        found = payload.find(payload.parse([str(value) for value in values]), path)
    else:
        found = payload.find(given, path)
    if condition.startswith("sql:"):
        from awsprof.guard import sql

        dialects = tuple(condition[4:].split("|"))
        # Shorthand splits unquoted text at commas: the pieces are one statement again.
        statements = [
            ",".join(map(str, text)) if isinstance(text, list) else text
            for text in found
            if isinstance(text, str | list)
        ]
        if not statements:
            return None
        try:
            judged = [sql.judge(text, dialects) for text in statements]
        except sql.Unparsable as error:
            return DESTRUCTIVE, f"{reason} that cannot be read ({error}): assumed to delete"
        worst = judged[0]
        for item in judged[1:]:
            if _RANK[item[0]] > _RANK[worst[0]]:
                worst = item
        verb = {READ_ONLY: "only reads", WRITE: "writes", DESTRUCTIVE: "deletes"}[worst[0]]
        return worst[0], f"{reason} that {verb} ({worst[1]})"
    if condition == "has":
        return (_KINDS[kind], reason) if found else None
    if condition == "absent":
        documents = [value for value in values if value not in ("", None)]
        return (_KINDS[kind], reason) if not found and documents else None
    if condition == "zero":
        return (_KINDS[kind], reason) if any(_is_zero(value) for value in found) else None
    if condition == "shell":
        import re

        texts_ = [text for item in found for text in payload.strings(_parsed(item, from_line))]
        for text in texts_:
            for pattern in SHELL_DANGER:
                if re.search(pattern, text, re.IGNORECASE):
                    return _KINDS[kind], reason
        return None
    if condition.startswith("is:"):
        wanted = set(condition[3:].split("|"))
        return (_KINDS[kind], reason) if any(_text(value) in wanted for value in found) else None
    raise ValueError(f"unknown condition {condition!r} in a rule for {argument}")


def _parsed(item: object, from_line: bool) -> object:
    """Shell commands are given as shorthand or JSON (`commands=["rm -rf /x"]`): read both, and
    keep the raw text too, so that nothing unparsed escapes the search."""
    if not (isinstance(item, str) and from_line):
        return item
    from awsprof.guard import cli_input, payload

    try:
        return [item, payload.parse([item])]
    except cli_input.Unreadable:
        return item


def _maybe_json_list(texts: list[object], from_line: bool) -> list[object]:
    if from_line and len(texts) == 1 and isinstance(texts[0], str):
        stripped = texts[0].strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            from awsprof.guard.jsonread import loads  # json's parser, without importing json

            try:
                return [loads(stripped)]
            except ValueError:
                pass
    return texts


def _flatten(items: list[object]) -> list[object]:
    flat: list[object] = []
    for item in items:
        flat.extend(_flatten(item) if isinstance(item, list) else [item])
    return flat


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


def _is_zero(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return float(str(value).strip()) == 0
    except ValueError:
        return False
