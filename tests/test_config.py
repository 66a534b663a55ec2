"""Profiles, secrets and config files: resolution order, failures, atomic writes, messages."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from sptui.config import ConfigError, Profile, config_path, load, resolve_credentials, save
from sptui.config.choose import choose_profile
from sptui.config.secrets import env_name
from sptui.console import check_console_settings

SECRET = "SENTINEL-secret-4f1e"
PROFILE = Profile(marketplace_id="ATVPDKIKX0DER", client_id="amzn1.app")


def no_keyring(service: str, user: str) -> str | None:
    return None


def test_environment_wins_profile_specific_first() -> None:
    env = {
        env_name("us-main", "client_secret"): "specific",
        "LWA_CLIENT_SECRET": "generic",
        "SP_API_REFRESH_TOKEN": "r",
    }
    found = resolve_credentials(
        "us-main", PROFILE, env=env, keyring_get=lambda s, u: "from-keyring"
    )
    assert (
        found.client_secret == "specific"
        and env_name("us-main", "client_secret") == "SPTUI_US_MAIN_CLIENT_SECRET"
    )
    assert found.sources["client_secret"] == "environment SPTUI_US_MAIN_CLIENT_SECRET"
    assert found.refresh_token == "r"
    generic = resolve_credentials(
        "us-main",
        PROFILE,
        env={"LWA_CLIENT_SECRET": "generic", "SP_API_REFRESH_TOKEN": "r"},
        keyring_get=no_keyring,
    )
    assert generic.client_secret == "generic"


def test_then_keyring_then_command_then_file() -> None:
    profile = PROFILE.model_copy(
        update={
            "client_secret_command": "echo from-command",
            "client_secret": "from-file",
            "refresh_token": "rt",
        }
    )
    assert (
        resolve_credentials(
            "p", profile, env={}, keyring_get=lambda s, u: "from-keyring"
        ).client_secret
        == "from-keyring"
    )
    assert (
        resolve_credentials("p", profile, env={}, keyring_get=no_keyring).client_secret
        == "from-command"
    )
    profile = profile.model_copy(update={"client_secret_command": None})
    found = resolve_credentials("p", profile, env={}, keyring_get=no_keyring)
    assert found.client_secret == "from-file" and found.sources["client_secret"] == "config file"


def test_a_broken_keyring_is_passed_over_and_named() -> None:
    def broken(service: str, user: str) -> str | None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    with pytest.raises(ConfigError) as caught:
        resolve_credentials("p", PROFILE, env={"SP_API_REFRESH_TOKEN": "r"}, keyring_get=broken)
    assert "keyring is not usable here (RuntimeError)" in str(caught.value)
    assert "LWA_CLIENT_SECRET" in str(caught.value) and "client_secret_command" in str(caught.value)


def test_a_hanging_keyring_is_given_up_on_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sptui.config.secrets.KEYRING_TIMEOUT", 0.2)

    def slow(service: str, user: str) -> str | None:
        time.sleep(2)
        return "too late"

    profile = PROFILE.model_copy(update={"client_secret_command": "echo fallback"})
    started = time.monotonic()
    found = resolve_credentials("p", profile, env={"SP_API_REFRESH_TOKEN": "r"}, keyring_get=slow)
    assert found.client_secret == "fallback"
    assert time.monotonic() - started < 1.5


def test_the_real_keyring_on_a_headless_server_fails_cleanly() -> None:
    profile = PROFILE.model_copy(update={"client_secret_command": "echo ok"})
    assert (
        resolve_credentials("p", profile, env={"SP_API_REFRESH_TOKEN": "r"}).client_secret == "ok"
    )


def test_a_failing_command_is_reported_without_its_output() -> None:
    profile = PROFILE.model_copy(
        update={"client_secret_command": f"sh -c 'echo {SECRET}; echo {SECRET} >&2; exit 3'"}
    )
    with pytest.raises(ConfigError) as caught:
        resolve_credentials("p", profile, env={"SP_API_REFRESH_TOKEN": "r"}, keyring_get=no_keyring)
    assert "exited with 3" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_config_location_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPTUI_CONFIG", str(tmp_path / "env.toml"))
    assert config_path(tmp_path / "flag.toml") == tmp_path / "flag.toml"
    assert config_path() == tmp_path / "env.toml"
    monkeypatch.delenv("SPTUI_CONFIG")
    assert config_path().name == "config.toml" and "sptui" in str(config_path())


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("[profiles.us\nmarketplace_id = 'x'\n", 1, None, "not valid TOML"),
        (
            "[profiles.us]\nmarketplace_id = 'ATVPDKIKX0DER'\nclient_sekret = 'x'\n",
            3,
            "profiles.us.client_sekret",
            "unknown key",
        ),
        (
            "[settings]\nrefresh_seconds = 1\n",
            2,
            "settings.refresh_seconds",
            "greater than or equal to 5",
        ),
        (
            "[profiles.us]\nmarketplace_id = 'NOPE'\n",
            2,
            "profiles.us.marketplace_id",
            "unknown marketplace",
        ),
        (
            "[profiles.us]\nmarketplace_id = 'ATVPDKIKX0DER'\ntime_zone = 'Mars/Base'\n",
            3,
            "profiles.us.time_zone",
            "unknown time zone",
        ),
        ("[settings]\ndefault_profile = 'ghost'\n", None, None, "'ghost' is not a profile"),
        (
            "[profiles.us]\nmarketplace_id = 'ATVPDKIKX0DER'\nendpoint = 'http://example.com'\n",
            1,
            "profiles.us",
            "https",
        ),
    ],
)
def test_bad_config_messages_name_file_line_and_key(
    tmp_path: Path, text: str, line: int | None, key: str | None, words: str
) -> None:
    path = write(tmp_path / "config.toml", text)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(path) in str(caught.value)
    assert caught.value.line == line
    if key:
        assert caught.value.key == key
    assert words in str(caught.value)


def test_console_settings_are_checked_too(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[keys]\n"jobs.refreshh" = "ctrl+r"\n')
    with pytest.raises(ConfigError) as caught:
        check_console_settings(load(path))
    assert caught.value.line == 2 and caught.value.key == "keys.jobs.refreshh"
    path = write(tmp_path / "config.toml", '[settings]\ntheme = "pink"\n')
    with pytest.raises(ConfigError, match="unknown theme 'pink'"):
        check_console_settings(load(path))


def test_a_readable_file_holding_a_secret_is_refused(tmp_path: Path) -> None:
    text = f'[profiles.us]\nmarketplace_id = "ATVPDKIKX0DER"\nclient_id = "a"\nclient_secret = "{SECRET}"\nrefresh_token = "r"\n'
    path = write(tmp_path / "config.toml", text, 0o644)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert "chmod 600" in str(caught.value) and SECRET not in str(caught.value)
    path.chmod(0o600)
    loaded = load(path)
    assert loaded.warnings and "plaintext secret" in loaded.warnings[0]
    assert SECRET not in repr(loaded.config)


def test_save_is_atomic_private_and_keeps_other_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new" / "config.toml"
    save(
        path,
        {"settings": {"theme": "nord"}, "profiles": {"a": {"marketplace_id": "ATVPDKIKX0DER"}}},
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    before = path.read_bytes()
    loaded = load(path)
    data = dict(loaded.data)
    data["profiles"]["b"] = {"marketplace_id": "A1PA6795UKMFR9"}

    def crash(src: str, dst: str) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        save(path, data)
    assert path.read_bytes() == before  # the old file, intact
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp left behind
    monkeypatch.undo()
    save(path, data)
    again = load(path)
    assert set(again.config.profiles) == {"a", "b"} and again.config.settings.theme == "nord"


def test_save_refuses_to_write_what_could_not_be_read_back(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[settings]\n")
    with pytest.raises(Exception):  # noqa: B017
        save(path, {"profiles": {"x": {"marketplace_id": "NOPE"}}})
    assert path.read_text() == "[settings]\n"


def test_choosing_the_profile(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        "[profiles.a]\nmarketplace_id='ATVPDKIKX0DER'\n[profiles.b]\nmarketplace_id='ATVPDKIKX0DER'\n",
    )
    loaded = load(path)
    assert choose_profile(loaded, "b") == "b"
    with pytest.raises(ConfigError, match="several profiles"):
        choose_profile(loaded, None)
    with pytest.raises(ConfigError, match="no profile 'c'"):
        choose_profile(loaded, "c")
    assert choose_profile(load(tmp_path / "missing.toml"), None) is None  # no config: the demo


def test_the_example_config_documents_every_key_and_is_valid(tmp_path: Path) -> None:
    from sptui.config import Config
    from sptui.config.schema import Profile as ProfileModel
    from sptui.config.schema import Settings, StoreSettings

    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    text = example.read_text()
    loaded = load(write(tmp_path / "config.toml", text))
    check_console_settings(loaded)
    tables = {"store": "[settings.store]"}  # settings that are tables of their own
    for model in (ProfileModel, Settings, StoreSettings):
        for name in model.model_fields:
            shown = tables.get(name, f"{name} =") if model is Settings else f"{name} ="
            assert shown in text, f"config.example.toml does not show {name}"
    assert loaded.config.settings.store == StoreSettings(window_days=90, keep_closed_days=90)
    assert set(Config.model_fields) == {"settings", "keys", "profiles"}


def test_no_snapshot_holds_a_credential() -> None:
    folder = Path(__file__).resolve().parent / "__snapshots__"
    svgs = list(folder.rglob("*.svg"))
    assert svgs
    for svg in svgs:
        text = svg.read_text()
        for secret in ("sptui-demo-secret", "sptui-demo-refresh", "Atza|", "Atzr|", "SENTINEL"):
            assert secret not in text, f"{svg.name} shows {secret}"


def test_an_unreadable_config_is_named_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()  # unreadable as a file (chmod 000 does not stop root, who runs CI here)
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(path) in str(caught.value) and "cannot be read" in str(caught.value)
    assert path.is_dir()
    binary = write(tmp_path / "binary.toml", "")
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load(binary)


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = write(dotfiles / "sptui.toml", '[settings]\ntheme = "nord"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    data = dict(load(link).data)
    data["profiles"] = {"a": {"marketplace_id": "ATVPDKIKX0DER"}}
    save(link, data)
    assert link.is_symlink() and link.resolve() == target
    assert set(load(target).config.profiles) == {"a"}
    assert sorted(p.name for p in dotfiles.iterdir()) == ["sptui.toml"]


def test_a_temporary_file_left_by_a_killed_save_is_removed_at_the_next_start(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "config.toml", "[settings]\n")
    leftover = tmp_path / ".config.toml.k1ll3d.tmp"
    leftover.write_text(f'[profiles.a]\nclient_secret = "{SECRET}"\n')
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    in_progress = tmp_path / ".config.toml.busy.tmp"  # another process saving right now
    in_progress.write_text("")
    unrelated = tmp_path / "notes.tmp"
    unrelated.write_text("mine")
    load(path)
    assert not leftover.exists()
    assert in_progress.exists() and unrelated.exists()
