"""The tables behind the classifier: what each AWS CLI operation verb does to an account.

An operation's kind comes from the first word of its kebab-case name (`delete-bucket` ->
`delete`), looked up here. A word not listed is a write: nothing unknown is ever read-only. Each
entry says in a few words what it does; the reason a person sees is built from it
("`s3api delete-bucket` deletes").

"Destructive" means: hard or impossible to undo, or it takes something running offline. The guard
asks for confirmation on these in protected accounts, so that list leans towards caution; the
read-only list stays exact, because a read-only command is never slowed by a question.

Checked against every operation in botocore's models by tests/guard/test_classify_all_operations.py.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    """What a command does to the account it reaches."""

    READ_ONLY = "read-only"
    WRITE = "write"
    DESTRUCTIVE = "destructive"


READ_ONLY, WRITE, DESTRUCTIVE = Kind.READ_ONLY, Kind.WRITE, Kind.DESTRUCTIVE

# First word -> what it does. Every entry sends only reads or local computation.
READ_ONLY_VERBS: dict[str, str] = {
    "describe": "only reads",
    "list": "only reads",
    "get": "only reads",  # includes get-login-password and get-secret-value: secrets, but no change
    "head": "only reads",
    "search": "only reads",
    "lookup": "only reads",
    "scan": "only reads",
    "query": "only reads",
    "select": "only reads",  # s3api select-object-content, config select-resource-config
    "read": "only reads",  # clouddirectory batch-read
    "filter": "only reads",  # logs filter-log-events
    "download": "only reads",  # rds download-db-log-file-portion
    "view": "only reads",
    "count": "only counts",
    "is": "only checks",  # verifiedpermissions is-authorized
    "domain": "only reads",  # sdb domain-metadata
    "discover": "only reads",  # servicediscovery discover-instances
    "preview": "only previews",
    "estimate": "only estimates",
    "simulate": "only simulates",
    "check": "only checks",
    "validate": "only validates",
    "detect": "only analyses",  # comprehend, rekognition; detect-stack-drift only compares
    "analyze": "only analyses",
    "evaluate": "only evaluates",
    "compare": "only compares",
    "calculate": "only computes",
    "classify": "only analyses",
    "contains": "only analyses",
    "infer": "only analyses",
    "predict": "only computes",
    "recognize": "only analyses",
    "translate": "only translates",
    "synthesize": "only computes",
    "suggest": "only reads",
    "decode": "only decodes",
    "introspect": "only reads",
    "assume": "issues temporary credentials and changes nothing",  # sts assume-role
    "wait": "only polls until a state is reached",
}

# First word -> what it destroys or interrupts.
DESTRUCTIVE_VERBS: dict[str, str] = {
    "delete": "deletes",
    "terminate": "terminates",
    "remove": "removes",
    "purge": "purges",
    "deregister": "deregisters",
    "revoke": "revokes access",
    "retire": "retires a grant",  # kms retire-grant: a revoke by another name
    "deauthorize": "revokes an authorization",
    "deny": "blocks traffic",
    "detach": "detaches (what relied on it breaks)",
    "disassociate": "disassociates (what relied on it breaks)",
    "dissociate": "disassociates (what relied on it breaks)",
    "unassign": "unassigns (addresses are lost)",
    "release": "releases (an address or host may never come back)",
    "disconnect": "disconnects (kms disconnect-custom-key-store makes keys unusable)",
    "close": "closes (organizations close-account)",
    "leave": "leaves (organizations leave-organization)",
    # Interrupting running things: an outage in production is damage even when reversible.
    "stop": "stops a running resource (an outage)",
    "reboot": "reboots (an outage)",
    "restart": "restarts (an outage)",
    "shutdown": "shuts down (an outage)",
    "pause": "pauses a running resource (an outage)",
    "suspend": "suspends (an outage or lost automation)",
    "rebuild": "rebuilds (elasticbeanstalk recreates every resource)",
    # Work in flight is lost and may not be resumable (cancel-update-stack, or
    # cancel-spot-fleet-requests --terminate-instances); kms cancel-key-deletion is the exception.
    "cancel": "cancels work in progress",
    "abort": "aborts (s3api abort-multipart-upload deletes the parts)",
    "expire": "ends sessions",
    "reset": "resets to defaults (custom settings are lost)",
    "disable": "disables (kms disable-key makes data undecryptable)",
    "deactivate": "deactivates (iam deactivate-mfa-device)",
    "deprovision": "deprovisions",
    "withdraw": "withdraws an advertised address range (traffic stops)",
    "discard": "discards",
    "dispose": "disposes of stored assets",
    "forget": "forgets a device",
    "clear": "clears a setting",
    "unlock": "unlocks (the resource can be deleted again)",
    "untag": "removes tags (tag-based access and cost reports depend on them)",
    "unshare": "stops sharing",
    "unpeer": "removes a peering",
    "unlink": "unlinks",
    "unsubscribe": "unsubscribes",
    "unlabel": "removes labels",
    "ungroup": "removes from a group",
    "unregister": "unregisters",
    "undeploy": "undeploys",
    "unmonitor": "turns monitoring off",
}

# Leading words that only qualify the verb after them: `batch-delete-…` deletes, `admin-get-…`
# reads.
QUALIFIER_WORDS = frozenset({"batch", "admin", "bulk", "transact"})

# A write whose name says it starts a deletion (personalize create-data-deletion-job,
# transfer start-remote-delete, kms schedule-key-deletion, outposts start-outpost-decommission)
# is destructive, unless the word is about deletion *protection* (update-deletion-protection).
DELETION_WORDS = frozenset({"delete", "deletion", "decommission"})

# Exact (service, operation) pairs whose verb misleads.
OPERATION_OVERRIDES: dict[tuple[str, str], tuple[Kind, str]] = {
    # KMS cryptography uses a key and changes nothing.
    **{
        ("kms", op): (READ_ONLY, "uses a key and changes nothing")
        for op in (
            "encrypt",
            "decrypt",
            "re-encrypt",
            "sign",
            "verify",
            "verify-mac",
            "generate-mac",
            "generate-random",
            "generate-data-key",
            "generate-data-key-pair",
            "generate-data-key-without-plaintext",
            "generate-data-key-pair-without-plaintext",
            "derive-shared-secret",
        )
    },
    ("kms", "cancel-key-deletion"): (WRITE, "undoes a scheduled deletion"),
    # Payment cryptography's data plane computes with a key and stores nothing.
    **{
        ("payment-cryptography-data", op): (READ_ONLY, "computes with a key and changes nothing")
        for op in (
            "encrypt-data",
            "decrypt-data",
            "re-encrypt-data",
            "generate-as2805-kek-validation",
            "generate-auth-request-cryptogram",
            "generate-card-validation-data",
            "generate-mac",
            "generate-mac-emv-pin-change",
            "generate-pin-data",
            "verify-auth-request-cryptogram",
            "verify-card-validation-data",
            "verify-mac",
            "verify-pin-data",
        )
    },
    # Model inference answers a prompt and stores nothing in the account.
    **{
        ("bedrock-runtime", op): (READ_ONLY, "asks a model and changes nothing")
        for op in (
            "converse",
            "converse-stream",
            "invoke-model",
            "invoke-model-with-response-stream",
            "apply-guardrail",
        )
    },
    # Queries that start an asynchronous read.
    ("logs", "start-query"): (READ_ONLY, "runs a Logs Insights query and changes nothing"),
    ("logs", "start-live-tail"): (READ_ONLY, "streams log events and changes nothing"),
    ("cloudtrail", "start-query"): (READ_ONLY, "runs a CloudTrail Lake query and changes nothing"),
    # `test-` is a write by default (apigateway test-invoke-method calls the real backend,
    # stepfunctions test-state calls real services); these only evaluate their input.
    ("events", "test-event-pattern"): (READ_ONLY, "only evaluates a pattern"),
    ("logs", "test-metric-filter"): (READ_ONLY, "only evaluates a filter"),
    ("logs", "test-transformer"): (READ_ONLY, "only evaluates a transformer"),
    ("route53", "test-dns-answer"): (READ_ONLY, "only asks a name server"),
    ("ses", "test-render-template"): (READ_ONLY, "only renders a template"),
    ("apigateway", "test-invoke-authorizer"): (READ_ONLY, "only evaluates an authorizer"),
    ("iot", "test-authorization"): (READ_ONLY, "only evaluates policies"),
    ("iot", "test-invoke-authorizer"): (READ_ONLY, "only evaluates an authorizer"),
    ("cloudfront", "test-function"): (READ_ONLY, "only runs a function on a test event"),
    ("b2bi", "test-conversion"): (READ_ONLY, "only converts a sample"),
    ("b2bi", "test-mapping"): (READ_ONLY, "only maps a sample"),
    ("b2bi", "test-parsing"): (READ_ONLY, "only parses a sample"),
    ("macie2", "test-custom-data-identifier"): (READ_ONLY, "only evaluates a pattern"),
    ("cloudtrail", "generate-query"): (READ_ONLY, "only writes a query for you to run"),
    ("sagemaker", "render-ui-template"): (READ_ONLY, "only renders a template"),
    ("qconnect", "render-message-template"): (READ_ONLY, "only renders a template"),
    ("wafv2", "generate-mobile-sdk-release-url"): (READ_ONLY, "only signs a download URL"),
    # Writer-like effects the verb does not show.
    ("rds", "backtrack-db-cluster"): (DESTRUCTIVE, "rewinds the cluster: later changes are lost"),
    ("sesv2", "test-render-email-template"): (READ_ONLY, "only renders a template"),
    ("elasticache", "test-failover"): (DESTRUCTIVE, "fails over a real node (an outage)"),
    ("license-manager", "check-in-license"): (WRITE, "returns a license"),
    ("neptunedata", "execute-fast-reset"): (DESTRUCTIVE, "erases every item in the graph"),
    # Ends only the caller's own portal session.
    ("sso", "logout"): (READ_ONLY, "ends your SSO session and changes no account"),
    ("sso-oidc", "create-token"): (READ_ONLY, "issues a token and changes no account"),
    ("ec2", "export-client-vpn-client-configuration"): (
        READ_ONLY,
        "only returns the endpoint's client configuration",
    ),
    ("cognito-idp", "admin-user-global-sign-out"): (
        DESTRUCTIVE,
        "signs the user out of every device (their tokens are revoked)",
    ),
    ("cognito-idp", "global-sign-out"): (
        DESTRUCTIVE,
        "signs the user out of every device (their tokens are revoked)",
    ),
    ("rds-data", "begin-transaction"): (READ_ONLY, "opens a transaction and changes nothing"),
}

# Commands the AWS CLI adds on top of the service APIs (not in botocore's models).
# Local ones act on this machine only; `configure` writes the config that decides which account
# later commands reach (and where protection marks live), so its writes count as writes.
CUSTOM_COMMANDS: dict[tuple[str, str], tuple[Kind, str]] = {
    ("configure", "list"): (READ_ONLY, "only shows local settings"),
    ("configure", "get"): (READ_ONLY, "only shows a local setting"),
    ("configure", "list-profiles"): (READ_ONLY, "only lists local profiles"),
    ("configure", "export-credentials"): (READ_ONLY, "only prints credentials"),
    ("configure", "set"): (WRITE, "changes the local AWS config"),
    ("configure", "import"): (WRITE, "changes the local AWS credentials"),
    ("configure", "sso"): (WRITE, "changes the local AWS config"),
    ("configure", "sso-session"): (WRITE, "changes the local AWS config"),
    ("configure", "add-model"): (WRITE, "changes the local service models"),
    ("sso", "login"): (READ_ONLY, "signs in and changes no account"),
    ("logs", "tail"): (READ_ONLY, "only reads log events"),
    ("ecr", "get-login-password"): (READ_ONLY, "only reads a registry token"),
    ("ecr", "get-login"): (READ_ONLY, "only reads a registry token"),
    ("ecr-public", "get-login-password"): (READ_ONLY, "only reads a registry token"),
    ("eks", "get-token"): (READ_ONLY, "only signs a token locally"),
    ("eks", "update-kubeconfig"): (READ_ONLY, "writes only your local kubeconfig"),
    ("codeartifact", "login"): (READ_ONLY, "writes only your local package-manager config"),
    ("rds", "generate-db-auth-token"): (READ_ONLY, "only signs a token locally"),
    ("dsql", "generate-db-connect-auth-token"): (READ_ONLY, "only signs a token locally"),
    ("dsql", "generate-db-connect-admin-auth-token"): (READ_ONLY, "only signs a token locally"),
    ("cloudtrail", "validate-logs"): (READ_ONLY, "only reads and checks log files"),
    ("cloudformation", "deploy"): (WRITE, "creates or updates a stack"),
    ("cloudformation", "package"): (WRITE, "uploads artifacts to S3"),
    ("deploy", "push"): (WRITE, "uploads a revision"),
    ("deploy", "register"): (WRITE, "registers an instance"),
    ("deploy", "deregister"): (DESTRUCTIVE, "deregisters an instance"),
    ("ecs", "deploy"): (WRITE, "deploys a new task definition"),
    ("emr", "ssh"): (WRITE, "opens a shell on the cluster"),
    ("emr", "socks"): (WRITE, "opens a tunnel to the cluster"),
    ("emr", "get"): (READ_ONLY, "only downloads a file from the cluster"),
    ("emr", "put"): (WRITE, "uploads a file to the cluster"),
    ("ddb", "select"): (READ_ONLY, "only reads"),
    ("ddb", "put"): (WRITE, "writes items"),
    ("history", "list"): (READ_ONLY, "only reads local history"),
    ("history", "show"): (READ_ONLY, "only reads local history"),
}

# Commands that are complete without an operation.
STANDALONE_COMMANDS: dict[str, tuple[Kind, str]] = {
    "configure": (WRITE, "`configure` asks for settings and writes the local AWS config"),
    "login": (READ_ONLY, "`login` signs in and changes no account"),
    "logout": (READ_ONLY, "`logout` signs out and changes no account"),
}

# Operations whose arguments the rules in `rules.py` read (a library call to one of them is
# classified with its parameters). Kept here, not derived, so that this import stays free;
# tests/guard/test_rules.py checks it against the rules.
RULED_OPERATIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("apigateway", "test-invoke-method"),
        ("application-autoscaling", "register-scalable-target"),
        ("athena", "start-query-execution"),
        ("autoscaling", "put-scheduled-update-group-action"),
        ("autoscaling", "set-desired-capacity"),
        ("autoscaling", "update-auto-scaling-group"),
        ("cloudformation", "deploy"),
        ("cloudformation", "execute-change-set"),
        ("cloudformation", "update-stack"),
        ("cloudformation", "update-stack-set"),
        ("cloudtrail", "update-trail"),
        ("docdb", "modify-db-cluster"),
        ("dynamodb", "batch-execute-statement"),
        ("dynamodb", "batch-write-item"),
        ("dynamodb", "execute-statement"),
        ("dynamodb", "execute-transaction"),
        ("dynamodb", "transact-write-items"),
        ("dynamodb", "update-continuous-backups"),
        ("dynamodb", "update-time-to-live"),
        ("ec2", "create-image"),
        ("ec2", "modify-instance-attribute"),
        ("ecr", "put-lifecycle-policy"),
        ("ecs", "execute-command"),
        ("ecs", "update-service"),
        ("eks", "update-nodegroup-config"),
        ("elasticache", "modify-cache-cluster"),
        ("elasticache", "modify-replication-group"),
        ("elbv2", "modify-load-balancer-attributes"),
        ("emr", "modify-instance-groups"),
        ("events", "put-rule"),
        ("globalaccelerator", "update-endpoint-group"),
        ("guardduty", "update-detector"),
        ("iam", "update-access-key"),
        ("iam", "update-signing-certificate"),
        ("iam", "update-ssh-public-key"),
        ("iot", "update-certificate"),
        ("kinesis", "decrease-stream-retention-period"),
        ("lambda", "put-function-concurrency"),
        ("lambda", "update-event-source-mapping"),
        ("logs", "put-retention-policy"),
        ("macie2", "update-macie-session"),
        ("neptune", "modify-db-cluster"),
        ("rds", "modify-db-cluster"),
        ("rds", "modify-db-instance"),
        ("rds-data", "batch-execute-statement"),
        ("rds-data", "execute-statement"),
        ("redshift", "modify-cluster"),
        ("redshift-data", "batch-execute-statement"),
        ("redshift-data", "execute-statement"),
        ("route53", "change-resource-record-sets"),
        ("s3api", "put-bucket-lifecycle"),
        ("s3api", "put-bucket-lifecycle-configuration"),
        ("s3api", "put-bucket-logging"),
        ("s3api", "put-bucket-versioning"),
        ("s3api", "put-public-access-block"),
        ("s3control", "put-public-access-block"),
        ("securityhub", "update-standards-control"),
        ("ses", "update-account-sending-enabled"),
        ("sesv2", "put-account-sending-attributes"),
        ("sqs", "set-queue-attributes"),
        ("ssm", "create-association"),
        ("ssm", "send-command"),
        ("ssm", "start-automation-execution"),
        ("ssm", "start-session"),
        ("waf", "update-byte-match-set"),
        ("waf", "update-geo-match-set"),
        ("waf", "update-ip-set"),
        ("waf", "update-rate-based-rule"),
        ("waf", "update-regex-match-set"),
        ("waf", "update-regex-pattern-set"),
        ("waf", "update-rule"),
        ("waf", "update-rule-group"),
        ("waf", "update-size-constraint-set"),
        ("waf", "update-sql-injection-match-set"),
        ("waf", "update-web-acl"),
        ("waf", "update-xss-match-set"),
        ("waf-regional", "update-byte-match-set"),
        ("waf-regional", "update-geo-match-set"),
        ("waf-regional", "update-ip-set"),
        ("waf-regional", "update-rate-based-rule"),
        ("waf-regional", "update-regex-match-set"),
        ("waf-regional", "update-regex-pattern-set"),
        ("waf-regional", "update-rule"),
        ("waf-regional", "update-rule-group"),
        ("waf-regional", "update-size-constraint-set"),
        ("waf-regional", "update-sql-injection-match-set"),
        ("waf-regional", "update-web-acl"),
        ("waf-regional", "update-xss-match-set"),
    }
)
PAYLOAD_DELETIONS = RULED_OPERATIONS  # the name the engine's library calls use

# Flags that switch deletion or termination protection off: the step before a deletion.
PROTECTION_OFF_FLAGS = frozenset(
    {
        "--no-deletion-protection",  # rds, docdb, neptune, elbv2 ...
        "--no-deletion-protection-enabled",  # dynamodb, pinpoint-sms-voice-v2
        "--no-enable-termination-protection",  # cloudformation
        "--no-termination-protected",  # emr set-termination-protection
        "--no-termination-protection-enabled",  # cloudtrail
        "--no-disable-api-termination",  # ec2
        "--no-disable-api-stop",  # ec2
    }
)
# String-valued protection settings and their "off" values (cognito-idp, autoscaling).
PROTECTION_OFF_VALUES: dict[str, frozenset[str]] = {
    "--deletion-protection": frozenset({"inactive", "none"}),
}

# First word -> what it changes. Only for the reason shown: a verb missing here is still a write.
WRITE_VERBS: dict[str, str] = {
    "create": "creates",
    "put": "writes",
    "write": "writes",
    "update": "updates",
    "modify": "modifies",
    "set": "changes settings",
    "add": "adds",
    "start": "starts",
    "run": "runs",
    "invoke": "invokes code",
    "execute": "executes",
    "send": "sends",
    "publish": "publishes",
    "attach": "attaches",
    "associate": "associates",
    "enable": "enables",
    "activate": "activates",
    "register": "registers",
    "import": "imports",
    "export": "exports",
    "copy": "copies",
    "restore": "restores",
    "tag": "tags",
    "replace": "replaces",
    "accept": "accepts",
    "reject": "rejects",
    "apply": "applies",
    "authorize": "grants access",
    "allocate": "allocates",
    "assign": "assigns",
    "complete": "completes",
    "confirm": "confirms",
    "generate": "generates",
    "initiate": "initiates",
    "request": "requests",
    "submit": "submits",
    "upload": "uploads",
    "resume": "resumes",
    "retry": "retries",
    "rotate": "rotates a secret or key (the previous one is kept)",
    "renew": "renews",
    "purchase": "purchases",
    "provision": "provisions",
    "promote": "promotes",
    "failover": "fails over",
    "switchover": "switches over",
    "rollback": "rolls back",
    "schedule": "schedules",
    "verify": "starts or confirms a verification",  # ses verify-email-identity creates one
    "test": "runs a test against real resources",  # apigateway test-invoke-method
    "poll": "takes work from a queue",
    "receive": "takes messages from a queue (they are hidden from others)",
    "subscribe": "subscribes",
    "share": "shares",
    "deploy": "deploys",
    "move": "moves",
    "sign": "signs up",
    "change": "changes",
    "merge": "merges",
    "upgrade": "upgrades",
    "configure": "configures",
    "notify": "notifies",
    "post": "posts",
    "approve": "approves",
    "grant": "grants access",
    "increase": "increases capacity",
    "decrease": "decreases capacity",
    "archive": "archives",
    "lock": "locks",
    "install": "installs",
    "launch": "launches",
}
