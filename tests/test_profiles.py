"""`sptui profile ...`, and profiles in the console: switching, remapped keys, the mode markers."""

from __future__ import annotations

import errno
import stat
from pathlib import Path
from typing import Any

import pytest

from sptui.cli.parser import build_parser
from sptui.config import Credentials, Profile, Settings, load
from sptui.config.store import Loaded
from sptui.desk.connect import mode_of, session_for
from sptui.desk.desk import Mode
from sptui.main import main
from sptui.spapi import SpApiError
from sptui.tui.app import SptuiApp
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .sim_helpers import simulator
from .tui_helpers import screen_text, settle

SECRET = "SENTINEL-client-secret-77aa"
REFRESH = "SENTINEL-refresh-88bb"


def answers(*replies: str) -> Any:
    queue = list(replies)
    return lambda prompt, secret: queue.pop(0)


def add_us(path: Path, *extra: str) -> list[str]:
    return ["--config", str(path), "profile", "add", "us", "--marketplace", "ATVPDKIKX0DER", *extra]


def run_cli(argv: list[str], ask: Any = None) -> int:
    from sptui import profile_commands

    args = build_parser().parse_args(argv)
    return profile_commands.run(args, ask=ask or answers())


def test_add_writes_a_private_file_and_keeps_other_profiles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    assert (
        run_cli(
            [
                "--config",
                str(path),
                "profile",
                "add",
                "eu",
                "--marketplace",
                "A1PA6795UKMFR9",
                "--client-id",
                "amzn1.x",
                "--secrets",
                "command",
                "--client-secret-command",
                "pass show x",
                "--refresh-token-command",
                "pass show y",
                "--no-check",
            ]
        )
        == 0
    )
    assert (
        run_cli(
            [
                "--config",
                str(path),
                "profile",
                "add",
                "us",
                "--region",
                "NA",
                "--marketplace",
                "ATVPDKIKX0DER",
                "--secrets",
                "file",
                "--no-check",
            ],
            answers("amzn1.y", SECRET, REFRESH),
        )
        == 0
    )
    loaded = load(path)
    assert (
        set(loaded.config.profiles) == {"eu", "us"}
        and loaded.config.settings.default_profile == "eu"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    out = capsys.readouterr()
    assert "plain text" in out.err
    assert SECRET not in out.out + out.err


def test_add_refuses_to_touch_a_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[profiles.us\n")
    code = run_cli(
        [
            "--config",
            str(path),
            "profile",
            "add",
            "x",
            "--marketplace",
            "ATVPDKIKX0DER",
            "--client-id",
            "a",
            "--secrets",
            "env",
            "--no-check",
        ]
    )
    assert code == 2 and path.read_text() == "[profiles.us\n"
    assert "not valid TOML" in capsys.readouterr().err


def test_a_failed_check_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: object) -> str:
        raise SpApiError(
            "Login with Amazon refused the client id or secret", status=401, code="invalid_client"
        )

    monkeypatch.setattr("sptui.profile_commands._check", refused)
    path = tmp_path / "config.toml"
    code = run_cli(
        add_us(path, "--secrets", "keyring"),
        answers("amzn1.z", SECRET, REFRESH),
    )
    assert code == 1 and not path.exists()
    err = capsys.readouterr().err
    assert "nothing was written" in err and SECRET not in err


def test_the_keyring_being_unusable_here_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sptui.profile_commands._check", lambda *a: "req")
    path = tmp_path / "config.toml"
    code = run_cli(
        add_us(path, "--secrets", "keyring"),
        answers("amzn1.z", SECRET, REFRESH),
    )
    assert code == 2 and not path.exists()
    err = capsys.readouterr().err
    assert (
        "keyring cannot store secrets here" in err
        and "--secrets command" in err
        and SECRET not in err
    )


def test_list_says_where_secrets_come_from_never_what_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    run_cli(
        [
            "--config",
            str(path),
            "profile",
            "add",
            "us",
            "--marketplace",
            "ATVPDKIKX0DER",
            "--client-id",
            "a",
            "--secrets",
            "env",
            "--no-check",
        ]
    )
    monkeypatch.setenv("LWA_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("SP_API_REFRESH_TOKEN", REFRESH)
    assert run_cli(["--config", str(path), "profile", "list"]) == 0
    out = capsys.readouterr().out
    assert (
        "client secret from environment LWA_CLIENT_SECRET" in out
        and SECRET not in out
        and REFRESH not in out
    )
    assert run_cli(["--config", str(path), "profile", "remove", "us"]) == 0
    assert load(path).config.profiles == {}


def test_the_console_opens_the_default_profile_and_refuses_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.us]\nmarketplace_id = "ATVPDKIKX0DER"\nclient_id = "a"\n')
    assert main(["--config", str(path)]) == 2  # no secret anywhere
    assert "has no client secret" in capsys.readouterr().err


def test_modes_follow_the_endpoint() -> None:
    assert mode_of(Profile(marketplace_id="ATVPDKIKX0DER").api_endpoint()) is Mode.LIVE
    assert (
        mode_of(Profile(marketplace_id="ATVPDKIKX0DER", sandbox=True).api_endpoint())
        is Mode.SANDBOX
    )
    assert (
        mode_of(
            Profile(marketplace_id="ATVPDKIKX0DER", endpoint="http://127.0.0.1:8765").api_endpoint()
        )
        is Mode.DEMO
    )
    assert (
        mode_of(
            Profile(
                marketplace_id="ATVPDKIKX0DER", endpoint="https://proxy.example.com"
            ).api_endpoint()
        )
        is Mode.LIVE
    )


def two_worlds(tmp_path: Path) -> tuple[Loaded, dict[str, Any]]:
    """Two profiles, each backed by its own in-process simulator world."""
    worlds = {"one": simulator(jobs=30, seed=1), "two": simulator(jobs=12, seed=2)}
    text = "".join(
        f'[profiles.{n}]\nmarketplace_id = "ATVPDKIKX0DER"\nendpoint = "https://{n}.example.com"\nclient_id = "sptui-demo"\nclient_secret_command = "echo sptui-demo-secret"\nrefresh_token_command = "echo sptui-demo-refresh"\n'
        for n in worlds
    )
    path = tmp_path / "config.toml"
    path.write_text(text + '[keys]\n"jobs.refresh" = "ctrl+y"\n')
    return load(path), worlds


def patch_transports(monkeypatch: pytest.MonkeyPatch, worlds: dict[str, Any]) -> None:
    real = session_for

    def wired(
        name: str, profile: Profile, settings: Settings, credentials: Credentials, **kw: Any
    ) -> Any:
        return real(name, profile, settings, credentials, transport=worlds[name].transport())

    monkeypatch.setattr("sptui.desk.connect.session_for", wired)


async def test_switching_between_two_profiles_backed_by_two_worlds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, worlds = two_worlds(tmp_path)
    patch_transports(monkeypatch, worlds)
    from sptui.config import resolve_credentials
    from sptui.desk import connect

    first = connect.session_for(
        "one",
        loaded.config.profiles["one"],
        loaded.config.settings,
        resolve_credentials("one", loaded.config.profiles["one"]),
    )
    app = SptuiApp(first, config=loaded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.session.mode is Mode.LIVE and " LIVE " in screen_text(app).splitlines()[0]
        one_total = app.screen.listing.total  # type: ignore[attr-defined]
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("down", "enter")  # from the current one (highlighted) to the next
        await settle(pilot)
        assert app.session.profile == "two"
        assert isinstance(app.screen, JobsScreen)
        assert app.screen.listing.total != one_total
        ids = {r.key for r in app.screen.query_one(VirtualTable).rows}
        assert ids and ids <= set(worlds["two"].world.jobs)
        assert "two · one.example.com" not in screen_text(app) and "two ·" in screen_text(app)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("home", "enter")  # the first option: the demo world
        await settle(pilot)
        assert app.session.mode is Mode.DEMO and app.session.profile is None


async def test_key_remaps_from_the_config_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, _worlds = two_worlds(tmp_path)
    from sptui.desk.demo import demo_session

    session, _sim = demo_session(jobs=20)
    app = SptuiApp(session, config=loaded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        syncs = 0
        original = screen.action_refresh

        def counting(*a: Any) -> None:
            nonlocal syncs
            syncs += 1
            original(*a)

        screen.action_refresh = counting  # type: ignore[method-assign]
        await pilot.press("r")
        await settle(pilot)
        assert syncs == 0  # remapped away
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert syncs == 1
        assert "^y" in screen_text(app)  # the footer shows the new key


async def test_a_secret_never_reaches_the_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, worlds = two_worlds(tmp_path)
    patch_transports(monkeypatch, worlds)
    from sptui.config import resolve_credentials
    from sptui.desk import connect

    creds = resolve_credentials("one", loaded.config.profiles["one"])
    app = SptuiApp(
        connect.session_for("one", loaded.config.profiles["one"], loaded.config.settings, creds),
        config=loaded,
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for keys in (["question_mark"], ["escape", "P"], ["escape", "ctrl+p"]):
            await pilot.press(*keys)
            await settle(pilot)
            text = screen_text(app)
            assert "sptui-demo-secret" not in text and "sptui-demo-refresh" not in text


async def test_the_in_app_form_checks_then_writes_then_switches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, Select

    from sptui.config import load as load_config
    from sptui.config.store import Loaded as LoadedConfig
    from sptui.desk.demo import demo_session
    from sptui.tui.dialogs.profile_form import ProfileForm
    from sptui.tui.dialogs.profiles import ProfilePicker

    world = simulator(jobs=15, seed=3)
    checks: list[tuple[str, str]] = []
    verdict = {"ok": False}

    async def fake_check(profile: Profile, client_id: str, secret: str, refresh: str) -> str:
        checks.append((client_id, profile.api_endpoint().base_url))
        if not verdict["ok"]:
            raise SpApiError(
                "Login with Amazon refused the client id or secret",
                status=401,
                code="invalid_client",
            )
        return "req-42"

    monkeypatch.setattr("sptui.tui.dialogs.profile_form.check", fake_check)
    monkeypatch.setattr(
        "sptui.desk.connect.session_for",
        lambda name, p, s, c, **kw: session_for(name, p, s, c, transport=world.transport()),
    )
    path = tmp_path / "config.toml"
    session, _ = demo_session(jobs=10)
    app = SptuiApp(session, config=LoadedConfig(load_config(path).config, {}, path))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, ProfilePicker)
        await pilot.press("end", "enter")  # "+ Add a profile…"
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        form.query_one("#name", Input).value = "bad name!"
        await settle(pilot)
        assert "letters, digits" in screen_text(app)
        form.query_one("#name", Input).value = "lab"
        form.query_one("#marketplace_id", Select).value = "ATVPDKIKX0DER"
        form.query_one("#endpoint", Input).value = "https://lab.example.com"
        form.query_one("#client_id", Input).value = "sptui-demo"
        form.query_one("#source", Select).value = "command"
        await settle(pilot)
        form.query_one("#client_secret_command", Input).value = "echo sptui-demo-secret"
        form.query_one("#refresh_token_command", Input).value = "echo sptui-demo-refresh"
        await settle(pilot)
        await pilot.press("ctrl+s")  # the form's own key; the button runs the same action
        await settle(pilot)
        assert "Not saved" in screen_text(app) and not path.exists()
        verdict["ok"] = True
        with monkeypatch.context() as disk:
            disk.setattr("os.replace", full_disk)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "No space left on device" in screen_text(app) and not path.exists()
            assert isinstance(app.screen, ProfileForm)  # the form stays, with what was typed
        await pilot.press("ctrl+s")  # the form's own key; the button runs the same action
        await settle(pilot)
        assert checks == [("sptui-demo", "https://lab.example.com")] * 3
        saved = load_config(path)
        assert saved.config.profiles["lab"].client_secret_command == "echo sptui-demo-secret"
        assert saved.config.settings.default_profile == "lab"
        assert app.session.profile == "lab" and app.session.mode is Mode.LIVE
        assert isinstance(app.screen, JobsScreen)
        assert "sptui-demo-secret" not in screen_text(app)


def full_disk(src: str, dst: str) -> None:
    raise OSError(errno.ENOSPC, "No space left on device", dst)


def test_a_full_disk_while_saving_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("os.replace", full_disk)
    path = tmp_path / "config.toml"
    argv = add_us(path, "--client-id", "amzn1.x", "--secrets", "file", "--no-check")
    assert run_cli(argv, ask=answers(SECRET, REFRESH)) == 1
    said = capsys.readouterr()
    assert "No space left on device" in said.err and not path.exists()
    leaked = SECRET in said.out + said.err or REFRESH in said.out + said.err
    assert not leaked


def test_without_a_terminal_profile_add_names_the_options_that_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sptui import profile_commands

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    argv = add_us(tmp_path / "config.toml", "--client-id", "amzn1.x")
    args = build_parser().parse_args(argv)
    assert profile_commands.run(args) == 2
    said = capsys.readouterr().err
    assert "--secrets env" in said and "--client-secret-command" in said
    assert "pass it as an option" not in said  # there is no option for a secret


def test_secrets_env_with_nothing_set_names_the_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SPTUI_US_CLIENT_SECRET", "LWA_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    argv = add_us(tmp_path / "config.toml", "--client-id", "amzn1.x", "--secrets", "env")
    assert run_cli(argv) == 2
    said = capsys.readouterr().err
    assert "SPTUI_US_CLIENT_SECRET" in said and "sptui profile add" not in said


def test_a_missing_config_named_with_config_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main(["--config", str(missing), "profile", "list"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["--config", str(missing), "jobs", "list"]) == 2
