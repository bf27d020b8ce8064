from fixtures_awscli_v2 import Clis

def show(r):
    print("rc=", r.returncode); print(r.stdout); print("ERR:", r.stderr)

def test_explore(clis: Clis) -> None:
    clis.sandbox.login_sso()
    for p in ["dev", "work", "prod", "default"]:
        print("=== v2", p); show(clis.v2("configure", "list", "--profile", p))
    print(clis.sandbox.config_file.read_text())
    for fmt in ["process", "env", "env-no-export", "powershell", "windows-cmd"]:
        for p in ["dev", "work", "prod"]:
            print("=== v2 export", fmt, p); show(clis.v2("configure", "export-credentials", "--profile", p, "--format", fmt))
            print("=== awsprof export", fmt, p); show(clis.awsprof("configure", "export-credentials", "--profile", p, "--format", fmt))
    assert False
