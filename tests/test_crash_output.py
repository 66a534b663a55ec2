"""A crash never prints a secret: the console's traceback shows no local variables.

Each case runs the console headless in its own process, forces a crash while a secret is a
local variable of a frame on the stack, and searches everything the process printed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from .net_servers import ScriptedServer, api_script, json_reply, token_reply

SECRET = "SENTINEL-crash-client-secret-5d1e"
REFRESH = "Atzr|SENTINEL-crash-refresh-token-77aa"
ACCESS = "Atza|SENTINEL-crash-access-token-3c90"


def run_console(script: str, tmp_path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm-256color"},
    )
    return done.stdout + done.stderr


def assert_no_secret(output: str) -> None:
    # Booleans only: pytest would otherwise print the output, secrets and all, on failure.
    crashed = "RuntimeError" in output
    assert crashed, "the forced crash did not happen"
    sentinels = (SECRET, REFRESH, ACCESS, SECRET[:20], REFRESH[:20], ACCESS[:20])
    leaked = [index for index, sentinel in enumerate(sentinels) if sentinel in output]
    assert leaked == [], "secrets printed (by index)"


def test_a_crash_in_the_profile_form_prints_no_secret(tmp_path: Path) -> None:
    output = run_console(
        f"""
        import sptui.tui.dialogs.profile_form as form_module
        from pathlib import Path
        from sptui.tui.app import SptuiApp
        from sptui.desk.demo import demo_session
        from textual.widgets import Input, Select

        async def broken_check(profile, client_id, secret, refresh):
            raise RuntimeError("forced crash while the secrets are locals")

        form_module.check = broken_check
        session, _ = demo_session(jobs=5)
        app = SptuiApp(session)

        async def drive(pilot):
            await pilot.pause()
            form = form_module.ProfileForm(Path("config.toml"))
            await app.push_screen(form)
            await pilot.pause()
            form.query_one("#name", Input).value = "us-main"
            form.query_one("#marketplace_id", Select).value = "ATVPDKIKX0DER"
            form.query_one("#client_id", Input).value = "amzn1.application-oa2-client.x"
            form.query_one("#client_secret", Input).value = {SECRET!r}
            form.query_one("#refresh_token", Input).value = {REFRESH!r}
            await pilot.pause()
            form.action_save()
            for _ in range(50):
                await pilot.pause(0.05)

        app.run(headless=True, auto_pilot=drive)
        """,
        tmp_path,
    )
    assert_no_secret(output)


def test_a_crash_inside_the_auth_flow_prints_no_access_token(tmp_path: Path) -> None:
    denied = {"errors": [{"code": "Unauthorized", "message": "denied", "details": ""}]}
    script = api_script(lambda _: json_reply(403, denied), lambda _: token_reply(ACCESS))
    with ScriptedServer(script) as server:
        output = run_console(
            f"""
            import sptui.spapi.auth as auth
            from sptui.config import Credentials, Profile, Settings
            from sptui.tui.app import SptuiApp
            from sptui.desk.connect import session_for

            def broken(response):
                raise RuntimeError("forced crash while the access token is a local")

            auth.token_rejected = broken
            profile = Profile(
                marketplace_id="ATVPDKIKX0DER",
                endpoint={server.base!r},
                token_url={server.base + "/auth/o2/token"!r},
                client_id="amzn1.application-oa2-client.x",
            )
            credentials = Credentials("amzn1.application-oa2-client.x", {SECRET!r}, {REFRESH!r}, {{}})
            app = SptuiApp(session_for("net", profile, Settings(), credentials))

            async def drive(pilot):
                for _ in range(60):
                    await pilot.pause(0.05)

            app.run(headless=True, auto_pilot=drive)
            """,
            tmp_path,
        )
    assert_no_secret(output)
