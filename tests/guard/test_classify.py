"""The classifier against real AWS CLI command lines, each with the kind it must get.

The table holds commands as people type them, across many services, with global options placed
before, between and after the service and operation. A second test proves every command in it is a
real operation of the installed AWS CLI (botocore's service models), so the table cannot drift into
made-up commands.
"""

from __future__ import annotations

import shlex
from functools import cache

import botocore.session
import pytest
from botocore import xform_name

from awsprof.guard import verbs
from awsprof.guard.classify import Kind, classify

KINDS = {"R": Kind.READ_ONLY, "W": Kind.WRITE, "D": Kind.DESTRUCTIVE}

# One per line: R read-only, W write, D destructive, then the command as typed (shell syntax).
TABLE = r"""
# s3 (high-level commands)
R aws s3 ls
R aws s3 ls s3://my-bucket/logs/ --recursive --human-readable --summarize
R aws --profile prod s3 ls
R aws s3 presign s3://my-bucket/report.pdf --expires-in 600
W aws s3 cp ./report.pdf s3://my-bucket/reports/
W aws s3 cp - s3://my-bucket/stream.txt
R aws s3 cp s3://my-bucket/report.pdf ./report.pdf
R aws s3 cp s3://my-bucket/report.pdf -
W aws s3 cp s3://src-bucket/a s3://dst-bucket/a --acl bucket-owner-full-control
W aws s3 cp ./site s3://my-bucket/ --recursive --exclude "*.tmp" --cache-control max-age=60
W aws s3 sync ./site s3://my-bucket/site
R aws s3 sync s3://my-bucket/site ./site
R aws s3 sync s3://my-bucket/site ./site --delete
D aws s3 sync ./site s3://my-bucket/site --delete
D aws s3 sync s3://a-bucket/x s3://b-bucket/x --delete --exact-timestamps
W aws s3 mb s3://new-bucket --region eu-west-1
D aws s3 rb s3://old-bucket
D aws --profile prod s3 rb s3://prod-bucket --force
D aws s3 rb s3://prod-bucket --force --profile prod
D aws s3 rm s3://my-bucket/key
D aws s3 rm s3://my-bucket/prefix/ --recursive
D aws s3 rm s3://my-bucket/prefix/ --recursive --dryrun
W aws s3 mv ./local.txt s3://my-bucket/local.txt
D aws s3 mv s3://my-bucket/a.txt ./a.txt
D aws s3 mv s3://my-bucket/a.txt s3://other-bucket/a.txt
D aws s3 mv s3://my-bucket/dir/ s3://my-bucket/dir2/ --recursive --storage-class STANDARD_IA
W aws s3 website s3://my-bucket/ --index-document index.html --error-document error.html
# s3api
D aws s3api delete-bucket --bucket old-bucket
D aws s3api delete-object --bucket b --key k
D aws s3api delete-objects --bucket b --delete file://delete.json
D aws s3api delete-bucket-policy --bucket b
D aws s3api abort-multipart-upload --bucket b --key k --upload-id u
R aws s3api list-buckets
R aws s3api list-objects-v2 --bucket b --prefix logs/ --max-items 10
R aws s3api get-object --bucket b --key k out.bin
R aws s3api head-object --bucket b --key k
R aws s3api head-bucket --bucket b
R aws s3api get-bucket-policy --bucket b --query Policy --output text
W aws s3api put-object --bucket b --key k --body file.txt
W aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled
W aws s3api create-bucket --bucket b --create-bucket-configuration LocationConstraint=eu-west-1
W aws s3api copy-object --bucket b --key k2 --copy-source b/k
W aws s3api restore-object --bucket b --key k --restore-request Days=1
R aws s3api select-object-content --bucket b --key k --expression "select * from s3object" --expression-type SQL --input-serialization "{}" --output-serialization "{}" out.json
# ec2
R aws ec2 describe-instances
R aws ec2 describe-instances --filters Name=tag:Env,Values=prod --query "Reservations[].Instances[].InstanceId"
R aws --region us-east-1 ec2 describe-vpcs
R aws ec2 --region us-east-1 describe-security-groups
R aws ec2 describe-images --owners self --region=eu-west-1
R aws ec2 get-console-output --instance-id i-0123456789abcdef0
R aws ec2 get-password-data --instance-id i-0123456789abcdef0
W aws ec2 run-instances --image-id ami-12345678 --count 1 --instance-type t3.micro
W aws ec2 start-instances --instance-ids i-0123456789abcdef0
D aws ec2 stop-instances --instance-ids i-0123456789abcdef0
D aws ec2 reboot-instances --instance-ids i-0123456789abcdef0
D aws ec2 terminate-instances --instance-ids i-0123456789abcdef0
D aws ec2 terminate-instances --instance-ids i-0123456789abcdef0 --dry-run
D aws ec2 delete-vpc --vpc-id vpc-1
D aws ec2 delete-security-group --group-id sg-1
D aws ec2 revoke-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr 0.0.0.0/0
W aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 443 --cidr 0.0.0.0/0
W aws ec2 create-tags --resources i-1 --tags Key=Env,Value=prod
D aws ec2 delete-tags --resources i-1 --tags Key=Env
D aws ec2 detach-volume --volume-id vol-1
W aws ec2 attach-volume --volume-id vol-1 --instance-id i-1 --device /dev/sdf
D aws ec2 disassociate-address --association-id eipassoc-1
D aws ec2 release-address --allocation-id eipalloc-1
W aws ec2 allocate-address --domain vpc
D aws ec2 deregister-image --image-id ami-1
W aws ec2 create-snapshot --volume-id vol-1 --description nightly
D aws ec2 delete-snapshot --snapshot-id snap-1
W aws ec2 modify-instance-attribute --instance-id i-1 --instance-type Value=t3.large
D aws ec2 modify-instance-attribute --instance-id i-1 --no-disable-api-termination
D aws ec2 cancel-spot-instance-requests --spot-instance-request-ids sir-1
D aws ec2 unassign-private-ip-addresses --network-interface-id eni-1 --private-ip-addresses 10.0.0.5
D aws ec2 disable-ebs-encryption-by-default
W aws ec2 enable-ebs-encryption-by-default
W aws ec2 import-key-pair --key-name k --public-key-material fileb://k.pub
D aws ec2 delete-key-pair --key-name k
R aws ec2 wait instance-running --instance-ids i-1
# iam
R aws iam list-users
R aws iam list-roles --max-items 20
R aws iam get-user --user-name alice
R aws iam get-role --role-name admin
R aws iam list-attached-role-policies --role-name admin
R aws iam get-account-authorization-details
R aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::123456789012:user/alice --action-names s3:ListBucket
W aws iam create-user --user-name bob
W aws iam create-role --role-name r --assume-role-policy-document file://trust.json
W aws iam attach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
D aws iam detach-role-policy --role-name r --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess
W aws iam put-role-policy --role-name r --policy-name p --policy-document file://p.json
D aws iam delete-role-policy --role-name r --policy-name p
D aws iam delete-role --role-name r
D aws iam delete-user --user-name bob
W aws iam create-access-key --user-name bob
D aws iam delete-access-key --user-name bob --access-key-id AKIAIOSFODNN7EXAMPLE
D aws iam update-access-key --user-name bob --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive
D aws iam remove-user-from-group --user-name bob --group-name devs
W aws iam add-user-to-group --user-name bob --group-name devs
D aws iam deactivate-mfa-device --user-name bob --serial-number arn:aws:iam::123456789012:mfa/bob
W aws iam generate-credential-report
W aws iam create-virtual-mfa-device --virtual-mfa-device-name bob --outfile qr.png --bootstrap-method QRCodePNG
# sts
R aws sts get-caller-identity
R aws --profile prod sts get-caller-identity --output json
R aws sts get-caller-identity --profile=prod --query Account --output text
R aws sts assume-role --role-arn arn:aws:iam::123456789012:role/admin --role-session-name s
R aws sts get-session-token --duration-seconds 3600
R aws sts decode-authorization-message --encoded-message abc
# lambda
R aws lambda list-functions
R aws lambda get-function --function-name f
R aws lambda get-function-configuration --function-name f
W aws lambda create-function --function-name f --runtime python3.12 --role arn:aws:iam::123456789012:role/r --handler app.handler --zip-file fileb://f.zip
W aws lambda update-function-code --function-name f --zip-file fileb://f.zip
W aws lambda invoke --function-name f out.json
W aws lambda publish-version --function-name f
W aws lambda add-permission --function-name f --statement-id s --action lambda:InvokeFunction --principal s3.amazonaws.com
D aws lambda remove-permission --function-name f --statement-id s
D aws lambda delete-function --function-name f
D aws lambda delete-alias --function-name f --name live
W aws lambda put-function-concurrency --function-name f --reserved-concurrent-executions 10
# dynamodb
R aws dynamodb list-tables
R aws dynamodb describe-table --table-name t
R aws dynamodb scan --table-name t
R aws dynamodb query --table-name t --key-condition-expression "pk = :v" --expression-attribute-values file://v.json
R aws dynamodb get-item --table-name t --key file://key.json
R aws dynamodb batch-get-item --request-items file://keys.json
R aws dynamodb transact-get-items --transact-items file://items.json
W aws dynamodb put-item --table-name t --item file://item.json
W aws dynamodb update-item --table-name t --key file://key.json --update-expression "SET a = :v"
D aws dynamodb delete-item --table-name t --key file://key.json
D aws dynamodb delete-table --table-name t
W aws dynamodb create-table --table-name t --attribute-definitions AttributeName=pk,AttributeType=S --key-schema AttributeName=pk,KeyType=HASH --billing-mode PAY_PER_REQUEST
W aws dynamodb batch-write-item --request-items file://items.json
D aws dynamodb batch-write-item --request-items '{"t": [{"DeleteRequest": {"Key": {"pk": {"S": "1"}}}}]}'
R aws dynamodb execute-statement --statement "SELECT * FROM t"
D aws dynamodb execute-statement --statement "DELETE FROM t WHERE pk = '1'"
D aws dynamodb update-table --table-name t --no-deletion-protection-enabled
W aws dynamodb update-table --table-name t --deletion-protection-enabled
D aws dynamodb delete-backup --backup-arn arn:aws:dynamodb:us-east-1:123456789012:table/t/backup/b
W aws dynamodb export-table-to-point-in-time --table-arn arn:aws:dynamodb:us-east-1:123456789012:table/t --s3-bucket b
# rds
R aws rds describe-db-instances
R aws rds describe-db-clusters --db-cluster-identifier c
R aws rds describe-db-snapshots --db-instance-identifier db1
R aws rds download-db-log-file-portion --db-instance-identifier db1 --log-file-name error/mysql-error.log
W aws rds create-db-snapshot --db-instance-identifier db1 --db-snapshot-identifier s1
D aws rds delete-db-instance --db-instance-identifier db1 --skip-final-snapshot
D aws rds delete-db-cluster --db-cluster-identifier c --skip-final-snapshot
D aws rds delete-db-snapshot --db-snapshot-identifier s1
D aws rds stop-db-instance --db-instance-identifier db1
W aws rds start-db-instance --db-instance-identifier db1
D aws rds reboot-db-instance --db-instance-identifier db1
W aws rds modify-db-instance --db-instance-identifier db1 --allocated-storage 100 --apply-immediately
D aws rds modify-db-instance --db-instance-identifier db1 --no-deletion-protection
W aws rds modify-db-instance --db-instance-identifier db1 --deletion-protection
W aws rds restore-db-instance-from-db-snapshot --db-instance-identifier db2 --db-snapshot-identifier s1
D aws rds reset-db-parameter-group --db-parameter-group-name pg --reset-all-parameters
W aws rds failover-db-cluster --db-cluster-identifier c
# cloudformation
R aws cloudformation describe-stacks --stack-name app
R aws cloudformation list-stacks --stack-status-filter CREATE_COMPLETE
R aws cloudformation describe-stack-events --stack-name app
R aws cloudformation get-template --stack-name app
R aws cloudformation validate-template --template-body file://t.yaml
R aws cloudformation detect-stack-drift --stack-name app
R aws cloudformation estimate-template-cost --template-body file://t.yaml
W aws cloudformation create-stack --stack-name app --template-body file://t.yaml
D aws cloudformation update-stack --stack-name app --template-body file://t.yaml
D aws cloudformation delete-stack --stack-name app
D aws cloudformation cancel-update-stack --stack-name app
W aws cloudformation continue-update-rollback --stack-name app
W aws cloudformation create-change-set --stack-name app --change-set-name cs --template-body file://t.yaml
D aws cloudformation execute-change-set --change-set-name cs --stack-name app
D aws cloudformation delete-change-set --change-set-name cs --stack-name app
D aws cloudformation update-termination-protection --stack-name app --no-enable-termination-protection
W aws cloudformation update-termination-protection --stack-name app --enable-termination-protection
# kms
R aws kms list-keys
R aws kms describe-key --key-id alias/app
R aws kms get-key-policy --key-id k --policy-name default
R aws kms decrypt --ciphertext-blob fileb://secret.enc
R aws kms encrypt --key-id alias/app --plaintext fileb://secret.txt
R aws kms generate-data-key --key-id alias/app --key-spec AES_256
W aws kms create-key --description app
W aws kms create-alias --alias-name alias/app --target-key-id k
D aws kms delete-alias --alias-name alias/app
D aws kms schedule-key-deletion --key-id k --pending-window-in-days 7
W aws kms cancel-key-deletion --key-id k
D aws kms disable-key --key-id k
W aws kms enable-key --key-id k
D aws kms revoke-grant --key-id k --grant-id g
D aws kms retire-grant --grant-token t
W aws kms put-key-policy --key-id k --policy-name default --policy file://p.json
# sns
R aws sns list-topics
R aws sns list-subscriptions-by-topic --topic-arn arn:aws:sns:us-east-1:123456789012:t
R aws sns get-topic-attributes --topic-arn arn:aws:sns:us-east-1:123456789012:t
W aws sns create-topic --name t
W aws sns publish --topic-arn arn:aws:sns:us-east-1:123456789012:t --message hello
W aws sns subscribe --topic-arn arn:aws:sns:us-east-1:123456789012:t --protocol email --notification-endpoint a@example.com
D aws sns unsubscribe --subscription-arn arn:aws:sns:us-east-1:123456789012:t:1
D aws sns delete-topic --topic-arn arn:aws:sns:us-east-1:123456789012:t
# sqs
R aws sqs list-queues
R aws sqs get-queue-url --queue-name q
R aws sqs get-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --attribute-names All
W aws sqs create-queue --queue-name q
W aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --message-body hi
W aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q
D aws sqs delete-message --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --receipt-handle r
D aws sqs purge-queue --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q
D aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q
W aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/123456789012/q --attributes VisibilityTimeout=60
# logs
R aws logs describe-log-groups
R aws logs tail /aws/lambda/f --follow --since 1h
R aws logs filter-log-events --log-group-name /aws/lambda/f --filter-pattern ERROR
R aws logs get-log-events --log-group-name g --log-stream-name s
R aws logs start-query --log-group-name g --start-time 0 --end-time 1 --query-string "fields @message"
R aws logs get-query-results --query-id q
W aws logs create-log-group --log-group-name g
D aws logs put-retention-policy --log-group-name g --retention-in-days 30
D aws logs delete-retention-policy --log-group-name g
D aws logs delete-log-group --log-group-name g
D aws logs stop-query --query-id q
# ecr
R aws ecr get-login-password --region us-east-1
R aws ecr describe-repositories
R aws ecr describe-images --repository-name app
R aws ecr list-images --repository-name app
R aws ecr get-authorization-token
W aws ecr create-repository --repository-name app
W aws ecr put-image-tag-mutability --repository-name app --image-tag-mutability IMMUTABLE
D aws ecr batch-delete-image --repository-name app --image-ids imageTag=old
D aws ecr delete-repository --repository-name app --force
# ecs
R aws ecs list-clusters
R aws ecs describe-services --cluster c --services s
R aws ecs list-tasks --cluster c
W aws ecs update-service --cluster c --service s --desired-count 3 --force-new-deployment
W aws ecs run-task --cluster c --task-definition td
D aws ecs stop-task --cluster c --task t
D aws ecs delete-service --cluster c --service s --force
D aws ecs delete-cluster --cluster c
D aws ecs deregister-task-definition --task-definition td:1
W aws ecs register-task-definition --cli-input-json file://td.json
W aws ecs execute-command --cluster c --task t --container app --interactive --command /bin/sh
# eks
R aws eks list-clusters
R aws eks describe-cluster --name c
R aws eks get-token --cluster-name c
R aws eks update-kubeconfig --name c --region us-east-1
W aws eks create-nodegroup --cluster-name c --nodegroup-name ng --subnets subnet-1 --node-role arn:aws:iam::123456789012:role/n
W aws eks update-nodegroup-config --cluster-name c --nodegroup-name ng --scaling-config minSize=1,maxSize=3,desiredSize=2
D aws eks delete-nodegroup --cluster-name c --nodegroup-name ng
D aws eks delete-cluster --name c
D aws eks disassociate-access-policy --cluster-name c --principal-arn arn:aws:iam::123456789012:role/r --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
# route53
R aws route53 list-hosted-zones
R aws route53 list-resource-record-sets --hosted-zone-id Z1
R aws route53 get-change --id C1
R aws route53 test-dns-answer --hosted-zone-id Z1 --record-name www.example.com --record-type A
W aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file://upsert.json
W aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"a.example.com"}}]}'
D aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"a.example.com"}}]}'
W aws route53 create-hosted-zone --name example.com --caller-reference r1
D aws route53 delete-hosted-zone --id Z1
# ssm
R aws ssm get-parameter --name /app/db/password --with-decryption
R aws ssm get-parameters-by-path --path /app --recursive
R aws ssm describe-parameters
R aws ssm describe-instance-information
W aws ssm put-parameter --name /app/flag --value on --type String --overwrite
W aws ssm put-parameter --name help --value x --type String
D aws ssm delete-parameter --name /app/flag
D aws ssm delete-parameters --names /a /b
W aws ssm send-command --document-name AWS-RunShellScript --targets Key=instanceids,Values=i-1 --parameters commands=uptime
W aws ssm start-session --target i-1
D aws ssm terminate-session --session-id s
D aws ssm cancel-command --command-id c
W aws ssm label-parameter-version --name /app/flag --labels prod
# secretsmanager
R aws secretsmanager list-secrets
R aws secretsmanager describe-secret --secret-id app/db
R aws secretsmanager get-secret-value --secret-id app/db
R aws secretsmanager get-random-password --password-length 32
R aws secretsmanager validate-resource-policy --resource-policy file://p.json
W aws secretsmanager create-secret --name app/db --secret-string s3cr3t
W aws secretsmanager put-secret-value --secret-id app/db --secret-string s3cr3t
W aws secretsmanager rotate-secret --secret-id app/db
W aws secretsmanager restore-secret --secret-id app/db
D aws secretsmanager delete-secret --secret-id app/db --force-delete-without-recovery
D aws secretsmanager cancel-rotate-secret --secret-id app/db
# organizations
R aws organizations describe-organization
R aws organizations list-accounts
R aws organizations list-policies --filter SERVICE_CONTROL_POLICY
W aws organizations create-account --email a@example.com --account-name a
W aws organizations attach-policy --policy-id p-1 --target-id 123456789012
D aws organizations detach-policy --policy-id p-1 --target-id 123456789012
D aws organizations remove-account-from-organization --account-id 123456789012
D aws organizations close-account --account-id 123456789012
D aws organizations leave-organization
W aws organizations move-account --account-id 123456789012 --source-parent-id r-1 --destination-parent-id ou-1
# cloudwatch
R aws cloudwatch describe-alarms
R aws cloudwatch list-metrics --namespace AWS/EC2
R aws cloudwatch get-metric-statistics --namespace AWS/EC2 --metric-name CPUUtilization --start-time 2024-01-01T00:00:00Z --end-time 2024-01-02T00:00:00Z --period 3600 --statistics Average
R aws cloudwatch get-metric-data --metric-data-queries file://q.json --start-time 2024-01-01T00:00:00Z --end-time 2024-01-02T00:00:00Z
W aws cloudwatch put-metric-alarm --alarm-name a --metric-name CPUUtilization --namespace AWS/EC2 --statistic Average --period 300 --threshold 80 --comparison-operator GreaterThanThreshold --evaluation-periods 1
W aws cloudwatch put-metric-data --namespace App --metric-name Hits --value 1
W aws cloudwatch set-alarm-state --alarm-name a --state-value OK --state-reason test
D aws cloudwatch delete-alarms --alarm-names a
D aws cloudwatch disable-alarm-actions --alarm-names a
W aws cloudwatch enable-alarm-actions --alarm-names a
# elbv2
R aws elbv2 describe-load-balancers
R aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1
W aws elbv2 register-targets --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1 --targets Id=i-1
D aws elbv2 deregister-targets --target-group-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1 --targets Id=i-1
W aws elbv2 create-listener --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/1 --protocol HTTP --port 80 --default-actions Type=forward,TargetGroupArn=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1
D aws elbv2 delete-load-balancer --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/1
W aws elbv2 modify-load-balancer-attributes --load-balancer-arn arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/1 --attributes Key=idle_timeout.timeout_seconds,Value=60
# autoscaling
R aws autoscaling describe-auto-scaling-groups
R aws autoscaling describe-scaling-activities --auto-scaling-group-name asg
W aws autoscaling set-desired-capacity --auto-scaling-group-name asg --desired-capacity 2
W aws autoscaling update-auto-scaling-group --auto-scaling-group-name asg --min-size 1 --max-size 4
D aws autoscaling update-auto-scaling-group --auto-scaling-group-name asg --deletion-protection none
D aws autoscaling delete-auto-scaling-group --auto-scaling-group-name asg --force-delete
D aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-1 --should-decrement-desired-capacity
D aws autoscaling suspend-processes --auto-scaling-group-name asg
W aws autoscaling resume-processes --auto-scaling-group-name asg
D aws autoscaling detach-instances --auto-scaling-group-name asg --instance-ids i-1 --should-decrement-desired-capacity
W aws autoscaling start-instance-refresh --auto-scaling-group-name asg
D aws autoscaling cancel-instance-refresh --auto-scaling-group-name asg
# cognito-idp
R aws cognito-idp list-user-pools --max-results 10
R aws cognito-idp admin-get-user --user-pool-id p --username u
W aws cognito-idp admin-create-user --user-pool-id p --username u
D aws cognito-idp admin-delete-user --user-pool-id p --username u
D aws cognito-idp admin-disable-user --user-pool-id p --username u
D aws cognito-idp update-user-pool --user-pool-id p --deletion-protection INACTIVE
# glue / athena / kinesis / stepfunctions / apigateway
R aws glue get-tables --database-name db
D aws glue delete-table --database-name db --name t
R aws athena start-query-execution --query-string "SELECT 1" --work-group primary
D aws athena start-query-execution --query-string "DROP TABLE logs" --work-group primary
R aws athena get-query-results --query-execution-id q
R aws kinesis list-streams
W aws kinesis put-record --stream-name s --partition-key k --data aGk=
D aws kinesis delete-stream --stream-name s
R aws stepfunctions list-state-machines
W aws stepfunctions start-execution --state-machine-arn arn:aws:states:us-east-1:123456789012:stateMachine:sm
D aws stepfunctions stop-execution --execution-arn arn:aws:states:us-east-1:123456789012:execution:sm:e
W aws stepfunctions test-state --definition file://state.json --role-arn arn:aws:iam::123456789012:role/r
R aws apigateway get-rest-apis
R aws apigateway test-invoke-method --rest-api-id a --resource-id r --http-method GET
D aws apigateway delete-rest-api --rest-api-id a
# elasticache / events / configservice / deploy / acm
D aws elasticache test-failover --replication-group-id rg --node-group-id 0001
R aws events test-event-pattern --event "{}" --event-pattern "{}"
D aws events remove-targets --rule r --ids 1
W aws events put-rule --name r --schedule-expression "rate(5 minutes)"
R aws configservice describe-config-rules
D aws configservice delete-config-rule --config-rule-name r
W aws deploy create-deployment --application-name app --deployment-group-name dg --s3-location bucket=b,key=k,bundleType=zip
D aws deploy stop-deployment --deployment-id d-1
R aws acm list-certificates
D aws acm delete-certificate --certificate-arn arn:aws:acm:us-east-1:123456789012:certificate/1
W aws acm request-certificate --domain-name example.com --validation-method DNS
# CLI-only commands
R aws configure list
R aws configure list-profiles
R aws configure get region --profile prod
R aws configure export-credentials --profile prod --format env
W aws configure set region eu-west-1 --profile prod
W aws configure
W aws configure sso
R aws sso login --profile prod
R aws sso logout
D aws cloudformation deploy --template-file t.yaml --stack-name app
W aws cloudformation package --template-file t.yaml --s3-bucket b --output-template-file out.yaml
R aws rds generate-db-auth-token --hostname db.example.com --port 5432 --username app
W aws deploy push --application-name app --s3-location s3://b/app.zip --source .
R aws cloudtrail validate-logs --trail-arn arn:aws:cloudtrail:us-east-1:123456789012:trail/t --start-time 2024-01-01
R aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DeleteBucket
R aws codeartifact login --tool pip --domain d --repository r
# help, version, skeletons
R aws help
R aws s3 help
R aws ec2 help
R aws ec2 terminate-instances help
R aws s3 rb help
R aws --version
R aws s3 rb s3://prod-bucket --version
R aws ec2 terminate-instances --instance-ids i-1 --generate-cli-skeleton
R aws ec2 terminate-instances --generate-cli-skeleton output
R aws dynamodb delete-table --generate-cli-skeleton=input
"""  # noqa: E501 (commands as typed)


def rows() -> list[tuple[str, list[str]]]:
    found = []
    for line in TABLE.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            letter, _, command = line.partition(" ")
            argv = shlex.split(command)
            assert argv[0] == "aws", line
            found.append((letter, argv[1:]))
    return found


ROWS = rows()


@pytest.mark.parametrize(("letter", "argv"), ROWS, ids=[shlex.join(argv) for _, argv in ROWS])
def test_real_command_gets_its_kind(letter: str, argv: list[str]) -> None:
    result = classify(argv)
    assert result.kind is KINDS[letter], result.reason


def test_table_is_broad() -> None:
    services = {classify(argv).service for _, argv in ROWS}
    assert len(ROWS) >= 200
    assert len(services) >= 20
    assert {letter for letter, _ in ROWS} == set(KINDS)


# The AWS CLI names three services differently from botocore.
CLI_TO_BOTOCORE = {"s3api": "s3", "configservice": "config", "deploy": "codedeploy"}
S3_HIGH_LEVEL = {"ls", "cp", "mv", "rm", "sync", "mb", "rb", "presign", "website"}


@cache
def operations(service: str) -> frozenset[str]:
    model = botocore.session.get_session().get_service_model(service)
    return frozenset(xform_name(name, "-") for name in model.operation_names)


@cache
def waiters(service: str) -> frozenset[str]:
    model = botocore.session.get_session().get_waiter_model(service)
    return frozenset(xform_name(name, "-") for name in model.waiter_names)


def api_operations() -> list[tuple[str, str, list[str]]]:
    """(botocore service, operation, argv) for every table row that calls a service API."""
    found = []
    for _, argv in ROWS:
        result = classify(argv)
        service, operation = result.service, result.operation
        if service is None or operation is None or "help" in (service, operation):
            continue
        if (service, operation) in verbs.CUSTOM_COMMANDS or service in verbs.STANDALONE_COMMANDS:
            continue
        if service == "s3" and operation in S3_HIGH_LEVEL:
            continue
        found.append((CLI_TO_BOTOCORE.get(service, service), operation, argv))
    return found


API_ROWS = api_operations()


@pytest.mark.parametrize(
    ("service", "operation", "argv"), API_ROWS, ids=[shlex.join(argv) for *_, argv in API_ROWS]
)
def test_table_command_is_a_real_operation(service: str, operation: str, argv: list[str]) -> None:
    if operation == "wait":
        waiter = next(arg for arg in argv[argv.index("wait") + 1 :] if not arg.startswith("-"))
        assert waiter in waiters(service)
    else:
        assert operation in operations(service), f"{service} has no operation {operation}"


def test_custom_commands_are_not_api_operations() -> None:
    """The CLI-only table must not shadow a real API operation's verdict by accident."""
    shadowing = [
        (service, operation)
        for service, operation in verbs.CUSTOM_COMMANDS
        if service in botocore.session.get_session().get_available_services()
        and operation in operations(service)
    ]
    assert shadowing == []
