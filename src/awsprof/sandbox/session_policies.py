"""Session policies in the sandbox, as AWS applies them.

AWS allows an action of an assumed-role session only when the role's policies allow it *and* the
session policy passed to AssumeRole (``Policy``) allows it. moto checks the role's policies and
ignores the session policy, so credentials narrowed to read-only would still delete in the
sandbox. This adds the second check to moto's own, once per process; nothing else changes.
"""

from __future__ import annotations

from typing import Any

from awsprof.sandbox import accounts as world

_MARK = "_awsprof_session_policies"
_ARNS = "_awsprof_policy_arns"


# AWS-managed policies a session may name (PolicyArns), as the sandbox's own documents.
MANAGED_POLICIES = {"arn:aws:iam::aws:policy/ReadOnlyAccess": world.READ_ONLY_POLICY}


def _session_policies(access_key: Any) -> list[str] | None:
    """The session's policies (inline and managed), or None when it has none."""
    from moto.iam.access_control import AssumedRoleAccessKey
    from moto.sts.models import sts_backends

    if not isinstance(access_key, AssumedRoleAccessKey):
        return None
    backend = sts_backends[access_key.account_id][access_key.partition]
    for assumed_role in backend.assumed_roles:
        if assumed_role.access_key_id == access_key._access_key_id:
            policies = []
            inline = getattr(assumed_role, "policy", None)
            if isinstance(inline, str) and inline:
                policies.append(inline)
            for arn in getattr(assumed_role, _ARNS, ()):
                # A managed policy the sandbox does not have allows nothing, as an empty one.
                policies.append(MANAGED_POLICIES.get(arn, '{"Statement": []}'))
            return policies or None
    return None


def _remember_policy_arns() -> None:
    """moto's AssumeRole ignores PolicyArns: keep them on the session it creates."""
    from moto.sts.responses import TokenResponse

    original = TokenResponse.assume_role
    if getattr(original, _MARK, False):
        return

    def assume_role(self: Any) -> Any:
        result = original(self)
        arns = [
            values[0]
            for name, values in sorted(self.querystring.items())
            if name.startswith("PolicyArns.member.") and name.endswith(".arn")
        ]
        # The session moto just created (it lives in the role's account, not the caller's):
        # marking another one would narrow the caller's own session instead.
        issued = getattr(result, "result", None)
        role = issued.get("Credentials") if isinstance(issued, dict) else None
        if arns and role is not None:
            setattr(role, _ARNS, tuple(arns))
        return result

    setattr(assume_role, _MARK, True)
    TokenResponse.assume_role = assume_role  # type: ignore[method-assign]


def enforce_session_policies() -> None:
    from moto.iam.access_control import IAMPolicy, IAMRequestBase, PermissionResult

    _remember_policy_arns()
    original = IAMRequestBase.check_action_permitted
    if getattr(original, _MARK, False):
        return

    def check_action_permitted(self: Any, resource: str) -> None:
        original(self, resource)
        if self._action == "sts:GetCallerIdentity":
            return  # always allowed, as in AWS
        policies = _session_policies(self._access_key)
        if policies is None:
            return
        # Session policies together allow what any of them allows, unless one denies it.
        results = [IAMPolicy(p).is_action_permitted(self._action, resource) for p in policies]
        if PermissionResult.DENIED in results or PermissionResult.PERMITTED not in results:
            self._raise_access_denied()

    setattr(check_action_permitted, _MARK, True)
    IAMRequestBase.check_action_permitted = check_action_permitted  # type: ignore[method-assign]
