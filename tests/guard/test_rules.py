"""The argument and payload rules of `rules.py`: each rule with a line that triggers it and one
that does not, and the reading of their values (JSON, shorthand, local files, cli-input)."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from awsprof.guard import grammar, rules, verbs
from awsprof.guard.classify import classify
from awsprof.guard.facts import Facts
from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, WRITE

KINDS = {"R": READ_ONLY, "W": WRITE, "D": DESTRUCTIVE}

# Each line triggers a rule (its reason must name the argument), or is its harmless twin.
TRIGGERED = r"""
D route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"a.example.com","Type":"A"}}]}'
D dynamodb batch-write-item --request-items '{"Orders":[{"DeleteRequest":{"Key":{"pk":{"S":"1"}}}}]}'
D dynamodb transact-write-items --transact-items '[{"Delete":{"TableName":"t","Key":{"pk":{"S":"1"}}}}]'
D s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration '{"Rules":[{"ID":"e","Status":"Enabled","Filter":{},"Expiration":{"Days":30}}]}'
D s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration '{"Rules":[{"ID":"n","Status":"Enabled","Filter":{},"NoncurrentVersionExpiration":{"NoncurrentDays":7}}]}'
D s3api put-bucket-lifecycle --bucket b --lifecycle-configuration '{"Rules":[{"ID":"e","Prefix":"","Status":"Enabled","Expiration":{"Days":1}}]}'
D apigateway test-invoke-method --rest-api-id a --resource-id r --http-method DELETE
D dynamodb execute-statement --statement "DELETE FROM Orders WHERE pk = '1'"
D dynamodb batch-execute-statement --statements Statement="DELETE FROM t WHERE pk='1'"
D dynamodb execute-transaction --transact-statements '[{"Statement":"DELETE FROM t WHERE pk=?"}]'
D rds-data execute-statement --resource-arn a --secret-arn s --sql "DROP TABLE users"
D rds-data batch-execute-statement --resource-arn a --secret-arn s --sql "DELETE FROM users WHERE id = :id"
D redshift-data execute-statement --cluster-identifier c --database d --sql "DELETE sales"
D redshift-data batch-execute-statement --cluster-identifier c --database d --sqls "SELECT 1" "TRUNCATE sales"
D athena start-query-execution --work-group primary --query-string "DROP TABLE logs"
D guardduty update-detector --detector-id d --no-enable
D cloudtrail update-trail --name t --no-enable-log-file-validation
D cloudtrail update-trail --name t --no-is-multi-region-trail
D cloudtrail update-trail --name t --no-include-global-service-events
D s3api put-public-access-block --bucket b --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
D s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration '{"BlockPublicPolicy": false}'
D s3api put-bucket-versioning --bucket b --versioning-configuration Status=Suspended
D s3api put-bucket-versioning --bucket b --versioning-configuration MFADelete=Disabled,Status=Enabled --mfa "arn:aws:iam::1:mfa/root 123456"
D s3api put-bucket-logging --bucket b --bucket-logging-status {}
D ec2 modify-instance-attribute --instance-id i-1 --disable-api-termination Value=false
D ec2 modify-instance-attribute --instance-id i-1 --disable-api-stop '{"Value": false}'
D elbv2 modify-load-balancer-attributes --load-balancer-arn a --attributes Key=deletion_protection.enabled,Value=false
D elbv2 modify-load-balancer-attributes --load-balancer-arn a --attributes Key=access_logs.s3.enabled,Value=false
D dynamodb update-continuous-backups --table-name t --point-in-time-recovery-specification PointInTimeRecoveryEnabled=false
D dynamodb update-time-to-live --table-name t --time-to-live-specification Enabled=true,AttributeName=expires
D securityhub update-standards-control --standards-control-arn a --control-status DISABLED --disabled-reason x
D macie2 update-macie-session --status PAUSED
D iam update-access-key --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive
D iam update-signing-certificate --certificate-id c --status Inactive
D iam update-ssh-public-key --user-name u --ssh-public-key-id k --status Inactive
D lambda update-event-source-mapping --uuid u --no-enabled
D events put-rule --name r --state DISABLED
D autoscaling update-auto-scaling-group --auto-scaling-group-name g --desired-capacity 0
D autoscaling update-auto-scaling-group --auto-scaling-group-name g --min-size 0 --max-size 0
D autoscaling set-desired-capacity --auto-scaling-group-name g --desired-capacity 0
D autoscaling put-scheduled-update-group-action --auto-scaling-group-name g --scheduled-action-name n --recurrence "0 20 * * *" --desired-capacity 0
D autoscaling put-scheduled-update-group-action --auto-scaling-group-name g --scheduled-action-name n --max-size 0
D application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/c/s --scalable-dimension ecs:service:DesiredCount --min-capacity 0 --max-capacity 0
D ecs update-service --cluster c --service s --desired-count 0
D eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config desiredSize=0
D eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config '{"minSize":0,"maxSize":0}'
D emr modify-instance-groups --cluster-id j-1 --instance-groups InstanceGroupId=ig-1,InstanceCount=0
D lambda put-function-concurrency --function-name f --reserved-concurrent-executions 0
D rds modify-db-instance --db-instance-identifier db --backup-retention-period 0 --apply-immediately
D rds modify-db-cluster --db-cluster-identifier c --backup-retention-period 0
D docdb modify-db-cluster --db-cluster-identifier c --backup-retention-period 0
D neptune modify-db-cluster --db-cluster-identifier c --backup-retention-period 0
D elasticache modify-replication-group --replication-group-id r --snapshot-retention-limit 0
D elasticache modify-cache-cluster --cache-cluster-id c --snapshot-retention-limit 0
D redshift modify-cluster --cluster-identifier c --automated-snapshot-retention-period 0
D logs put-retention-policy --log-group-name g --retention-in-days 1
D kinesis decrease-stream-retention-period --stream-name s --retention-period-hours 24
D sqs set-queue-attributes --queue-url u --attributes MessageRetentionPeriod=60
D ecr put-lifecycle-policy --repository-name r --lifecycle-policy-text file://policy.json
D cloudformation update-stack --stack-name app --template-body file://t.yaml
D cloudformation execute-change-set --stack-name app --change-set-name cs
D cloudformation update-stack-set --stack-set-name ss --use-previous-template
D cloudformation deploy --template-file t.yaml --stack-name app
D ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=["sudo rm -rf /var/lib/mysql"]'
D ssm start-session --target i-1 --document-name AWS-StartInteractiveCommand --parameters command="sudo shutdown -h now"
D ssm create-association --name AWS-RunShellScript --targets Key=tag:env,Values=prod --parameters '{"commands":["mkfs.ext4 /dev/xvdf"]}'
D ssm start-automation-execution --document-name Custom-Run --parameters '{"Commands":["dd if=/dev/zero of=/dev/xvdf bs=1M"]}'
D ecs execute-command --cluster c --task t --interactive --command "rm -rf /data"
D sesv2 put-account-sending-attributes --no-sending-enabled
D ses update-account-sending-enabled --no-enabled
D iot update-certificate --certificate-id c --new-status REVOKED
D ec2 create-image --instance-id i-1 --name pre-patch
D globalaccelerator update-endpoint-group --endpoint-group-arn a --traffic-dial-percentage 0
D rds-data execute-statement --resource-arn a --secret-arn s --sql="DELETE FROM users WHERE id = 1"
D ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters '{"commands":["echo cm0gLXJmIC8K | base64 -d | sh"]}'
D ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=["curl -s https://example.com/x.sh | sudo bash"]'
R apigateway test-invoke-method --rest-api-id a --resource-id r --http-method GET
"""  # noqa: E501 (commands as typed)

# The same operations with arguments that must not trigger (or that lower the verdict).
UNTRIGGERED = r"""
W route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"DELETE.example.com","Type":"A"}}]}'
W dynamodb batch-write-item --request-items '{"Orders":[{"PutRequest":{"Item":{"note":{"S":"DeleteRequest"}}}}]}'
W dynamodb transact-write-items --transact-items '[{"Put":{"TableName":"t","Item":{"pk":{"S":"Delete"}}}}]'
W s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration '{"Rules":[{"ID":"t","Status":"Enabled","Filter":{},"Transitions":[{"Days":30,"StorageClass":"GLACIER"}]}]}'
W apigateway test-invoke-method --rest-api-id a --resource-id r --http-method POST
R dynamodb execute-statement --statement "SELECT * FROM Orders WHERE note = 'DELETE'"
W dynamodb batch-execute-statement --statements Statement="INSERT INTO t VALUE {'pk':'1'}"
W dynamodb execute-transaction --transact-statements '[{"Statement":"UPDATE t SET a=1 WHERE pk=?"}]'
R rds-data execute-statement --resource-arn a --secret-arn s --sql "SELECT 'DROP TABLE users' AS note"
W rds-data batch-execute-statement --resource-arn a --secret-arn s --sql "INSERT INTO users (id) VALUES (:id)"
R redshift-data execute-statement --cluster-identifier c --database d --sql "SELECT count(*) FROM sales -- DELETE sales"
W redshift-data batch-execute-statement --cluster-identifier c --database d --sqls "SELECT 1" "UPDATE t SET a = 1"
R athena start-query-execution --work-group primary --query-string "SELECT * FROM logs /* DROP TABLE logs */ LIMIT 10"
W guardduty update-detector --detector-id d --enable --finding-publishing-frequency SIX_HOURS
W cloudtrail update-trail --name t --enable-log-file-validation --is-multi-region-trail
W s3api put-public-access-block --bucket b --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
W s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration '{"BlockPublicPolicy": true}'
W s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled
W s3api put-bucket-logging --bucket b --bucket-logging-status '{"LoggingEnabled":{"TargetBucket":"logs","TargetPrefix":"b/"}}'
W ec2 modify-instance-attribute --instance-id i-1 --disable-api-termination Value=true
W elbv2 modify-load-balancer-attributes --load-balancer-arn a --attributes Key=deletion_protection.enabled,Value=true
W dynamodb update-continuous-backups --table-name t --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true
W dynamodb update-time-to-live --table-name t --time-to-live-specification Enabled=false,AttributeName=expires
W securityhub update-standards-control --standards-control-arn a --control-status ENABLED
W macie2 update-macie-session --status ENABLED
W iam update-access-key --access-key-id AKIAIOSFODNN7EXAMPLE --status Active
W lambda update-event-source-mapping --uuid u --enabled --batch-size 10
W events put-rule --name r --schedule-expression "rate(5 minutes)" --state ENABLED
W autoscaling update-auto-scaling-group --auto-scaling-group-name g --min-size 0 --max-size 10 --desired-capacity 2
W autoscaling set-desired-capacity --auto-scaling-group-name g --desired-capacity 10
W autoscaling put-scheduled-update-group-action --auto-scaling-group-name g --scheduled-action-name n --desired-capacity 4
W application-autoscaling register-scalable-target --service-namespace ecs --resource-id service/c/s --scalable-dimension ecs:service:DesiredCount --min-capacity 1 --max-capacity 10
W ecs update-service --cluster c --service s --desired-count 3 --force-new-deployment
W eks update-nodegroup-config --cluster-name c --nodegroup-name n --scaling-config minSize=0,maxSize=5,desiredSize=2
W emr modify-instance-groups --cluster-id j-1 --instance-groups InstanceGroupId=ig-1,InstanceCount=10
W lambda put-function-concurrency --function-name f --reserved-concurrent-executions 100
W rds modify-db-instance --db-instance-identifier db --backup-retention-period 7
W redshift modify-cluster --cluster-identifier c --automated-snapshot-retention-period 7
W sqs set-queue-attributes --queue-url u --attributes VisibilityTimeout=60
W cloudformation deploy --template-file t.yaml --stack-name app --no-execute-changeset
W ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=["df -h","uptime"]'
W ssm start-session --target i-1 --document-name AWS-StartPortForwardingSession --parameters portNumber=80,localPortNumber=8080
W ecs execute-command --cluster c --task t --interactive --command "/bin/sh"
W ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=["journalctl -u app | tail -n 50"]'
R rds-data execute-statement --resource-arn a --secret-arn s --sql="SELECT * FROM users WHERE id = 1"
W sesv2 put-account-sending-attributes --sending-enabled
W iot update-certificate --certificate-id c --new-status ACTIVE
W ec2 create-image --instance-id i-1 --name pre-patch --no-reboot
W ec2 create-image --cli-input-json '{"InstanceId": "i-1", "Name": "n", "NoReboot": true}'
D ec2 create-image --cli-input-json '{"InstanceId": "i-1", "Name": "n", "NoReboot": false}'
W globalaccelerator update-endpoint-group --endpoint-group-arn a --traffic-dial-percentage 50
"""  # noqa: E501 (commands as typed)


def rows(table: str) -> list[tuple[str, list[str]]]:
    return [(line[0], shlex.split(line[2:])) for line in table.strip().splitlines()]


@pytest.mark.parametrize(("letter", "argv"), rows(TRIGGERED), ids=lambda x: " ".join(x)[:80])
def test_each_rule_triggers_and_names_its_argument(letter: str, argv: list[str]) -> None:
    result = classify(argv)
    assert result.kind is KINDS[letter], result.reason
    assert "`--" in result.reason or "`update-" in result.reason or "`deploy`" in result.reason
    assert result.reason.startswith(f"`{argv[0]} {argv[1]}`: ")


@pytest.mark.parametrize(("letter", "argv"), rows(UNTRIGGERED), ids=lambda x: " ".join(x)[:80])
def test_harmless_arguments_leave_the_operation_as_it_was(letter: str, argv: list[str]) -> None:
    assert classify(argv).kind is KINDS[letter], classify(argv).reason


def test_every_rule_has_a_line_that_triggers_it() -> None:
    triggered = {(argv[0], argv[1], classify(argv).reason) for _, argv in rows(TRIGGERED)}
    for rule in rules.RULES:
        if rule[0] in ("waf", "waf-regional"):
            continue  # one by one in test_waf_classic_updates_that_delete
        assert any(
            (service, operation) == rule[:2] and rule[6] in reason
            for service, operation, reason in triggered
        ), rule


WAF_CLASSIC = sorted({rule[:2] for rule in rules.RULES if rule[0] in ("waf", "waf-regional")})


@pytest.mark.parametrize(("service", "operation"), WAF_CLASSIC)
def test_waf_classic_updates_that_delete(service: str, operation: str) -> None:
    line = [service, operation, "--change-token", "t", "--updates"]
    deleting = classify([*line, 'Action="DELETE",IPSetDescriptor={Type=IPV4,Value=192.0.2.44/32}'])
    assert deleting.kind is DESTRUCTIVE
    assert "`--updates` holds a DELETE" in deleting.reason
    inserting = (
        '[{"Action": "INSERT", "IPSetDescriptor": {"Type": "IPV4", "Value": "192.0.2.9/32"}}]'
    )
    assert classify([*line, inserting]).kind is WRITE


def test_the_table_of_ruled_operations_matches_the_rules() -> None:
    # verbs keeps a copy so that importing it costs nothing; the engine passes these parameters.
    assert rules.operations() == verbs.RULED_OPERATIONS
    assert verbs.PAYLOAD_DELETIONS is verbs.RULED_OPERATIONS


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: f"{rule[0]} {rule[1]} {rule[2]}")
def test_every_rule_names_a_real_option(rule: rules.Rule) -> None:
    service, operation, argument = rule[:3]
    if (service, operation) == ("cloudformation", "deploy"):
        return  # the CLI's own command, not in the service model
    model = grammar.operation_options(service, operation)
    assert model is not None, (service, operation)
    assert argument in model.options or (
        argument[:5] == "--no-" and argument[5:] in {option[2:] for option in model.booleans}
    )


# --- reading the values ---------------------------------------------------------------------


def test_a_payload_file_is_read(tmp_path: Path) -> None:
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"Changes": [{"Action": "DELETE", "ResourceRecordSet": {}}]}))
    line = ["route53", "change-resource-record-sets", "--hosted-zone-id", "Z"]
    result = classify([*line, "--change-batch", f"file://{batch}"])
    assert result.kind is DESTRUCTIVE
    assert "`--change-batch` holds a DELETE" in result.reason
    batch.write_text(json.dumps({"Changes": [{"Action": "CREATE", "ResourceRecordSet": {}}]}))
    assert classify([*line, "--change-batch", f"fileb://{batch}"]).kind is WRITE


def test_a_sql_file_is_read(tmp_path: Path) -> None:
    query = tmp_path / "q.sql"
    query.write_text("-- nightly cleanup\nSELECT 1;\nDELETE FROM sessions WHERE expired;\n")
    argv = ["rds-data", "execute-statement", "--resource-arn", "a", "--secret-arn", "s"]
    assert classify([*argv, "--sql", f"file://{query}"]).kind is DESTRUCTIVE
    query.write_text("SELECT * FROM sessions")
    assert classify([*argv, "--sql", f"file://{query}"]).kind is READ_ONLY


def test_a_payload_that_cannot_be_read_is_assumed_the_worst(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    big.write_text(" " * (2 << 20))
    broken = tmp_path / "broken.json"
    broken.write_text('{"Changes": [')
    line = ["route53", "change-resource-record-sets", "--hosted-zone-id", "Z", "--change-batch"]
    for value in (f"file://{fifo}", f"file://{big}", f"file://{broken}", "https://x/b.json"):
        result = classify([*line, value])
        assert result.kind is DESTRUCTIVE, value
        assert "`--change-batch` cannot be read" in result.reason
        assert "assumed to do the worst" in result.reason


def test_a_select_from_a_file_that_cannot_be_read_is_not_a_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    argv = ["athena", "start-query-execution", "--query-string", f"file://{fifo}"]
    assert classify(argv).kind is DESTRUCTIVE


def test_a_missing_file_sends_nothing(tmp_path: Path) -> None:
    # The CLI stops on it: the operation keeps its own kind.
    argv = ["dynamodb", "batch-write-item", "--request-items", f"file://{tmp_path}/none.json"]
    assert classify(argv).kind is WRITE


def test_rules_read_cli_input_json() -> None:
    data = {"HostedZoneId": "Z", "ChangeBatch": {"Changes": [{"Action": "DELETE"}]}}
    argv = ["route53", "change-resource-record-sets", "--cli-input-json", json.dumps(data)]
    assert classify(argv).kind is DESTRUCTIVE
    data = {"DBInstanceIdentifier": "db", "BackupRetentionPeriod": 0}
    argv = ["rds", "modify-db-instance", "--cli-input-json", json.dumps(data)]
    result = classify(argv)
    assert result.kind is DESTRUCTIVE
    assert "`--backup-retention-period 0`" in result.reason
    data = {"Statement": "SELECT * FROM t"}
    argv = ["dynamodb", "execute-statement", "--cli-input-json", json.dumps(data)]
    assert classify(argv).kind is READ_ONLY


def test_shorthand_lists_and_nested_structures() -> None:
    from awsprof.guard import payload

    assert payload.parse(["Key=a,Values=b,c,Other={K=[x,y]}"]) == {
        "Key": "a",
        "Values": ["b", "c"],
        "Other": {"K": ["x", "y"]},
    }
    assert payload.find({"T": [{"DeleteRequest": {}}]}, "*[].DeleteRequest") == [{}]
    found = payload.find([{"Key": "A.b", "Value": "false"}], "[Key=a.b].Value")
    assert found == ["false"]


def test_protection_flags_name_themselves() -> None:
    argv = ["rds", "modify-db-instance", "--db-instance-identifier", "d", "--no-deletion-protec"]
    result = classify(argv)
    assert "`--no-deletion-protection` turns deletion protection off" in result.reason
    assert "read as `--no-deletion-protection`" in result.reason


@pytest.mark.parametrize(
    ("service", "operation", "params", "kind"),
    [
        (
            "route53",
            "ChangeResourceRecordSets",
            {"HostedZoneId": "Z", "ChangeBatch": {"Changes": [{"Action": "DELETE"}]}},
            DESTRUCTIVE,
        ),
        (
            "rds",
            "ModifyDBInstance",
            {"DBInstanceIdentifier": "d", "BackupRetentionPeriod": 0},
            DESTRUCTIVE,
        ),
        (
            "rds",
            "ModifyDBInstance",
            {"DBInstanceIdentifier": "d", "BackupRetentionPeriod": 7},
            WRITE,
        ),
        ("rds-data", "ExecuteStatement", {"resourceArn": "a", "sql": "SELECT 1"}, READ_ONLY),
        ("rds-data", "ExecuteStatement", {"resourceArn": "a", "sql": "TRUNCATE t"}, DESTRUCTIVE),
        (
            "ssm",
            "SendCommand",
            {"DocumentName": "AWS-RunShellScript", "Parameters": {"commands": ["rm -rf /srv"]}},
            DESTRUCTIVE,
        ),
    ],
)
def test_library_calls_are_judged_by_their_parameters(
    service: str, operation: str, params: dict[str, object], kind: object
) -> None:
    # The engine words a botocore call as the CLI would, with its parameters as cli-input JSON.
    from awsprof.guard.engine import call_argv

    assert classify(call_argv(service, operation, params)).kind is kind


@pytest.mark.parametrize(
    "value",
    [
        "Key=[a",
        "Key=[a}",
        "Key={A=1",
        "=x",
        "a,b=c",
        '{"Changes": [',
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        "Changes=[{Action=DELETE",
        "",
        "'",
    ],
)
def test_malformed_values_never_hang_or_crash(value: str) -> None:
    line = ["route53", "change-resource-record-sets", "--hosted-zone-id", "Z", "--change-batch"]
    result = classify([*line, value])
    assert result.kind in (WRITE, DESTRUCTIVE)
    for sql_line in (
        ["rds-data", "execute-statement", "--sql", value],
        ["dynamodb", "batch-execute-statement", "--statements", value],
        ["ssm", "send-command", "--document-name", "AWS-RunShellScript", "--parameters", value],
    ):
        assert classify(sql_line).kind in (READ_ONLY, WRITE, DESTRUCTIVE)


def test_the_box_says_why_naming_the_argument() -> None:
    from awsprof.cli.guard_box import box_lines
    from awsprof.guard.decide import Decision

    result = classify(shlex.split("rds modify-db-instance --backup-retention-period 0"))
    decision = Decision("confirm", f"{result.reason}, in protected account 1", kind=result.kind)
    lines = box_lines(_facts(), decision, "aws rds modify-db-instance ...")
    why = [line for line in lines if line.strip().startswith("why")]
    assert why and "`--backup-retention-period 0` deletes automated backups" in why[0]


def _facts() -> Facts:
    return Facts("prod", "AWS_PROFILE", account="111122223333", region="us-east-1")
