"""Connection settings: CLI options > environment > config file > the local managed server.

The password is never taken from argv: it comes from NEO4J_PASSWORD, the config file, a
``--password-file`` or, for the server ctkg manages itself, that server's password file.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ctkg.errors import CtkgError

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"


class ConfigError(CtkgError):
    """A user-facing configuration mistake (shown as one line)."""


def cache_dir() -> Path:
    """Where downloaded Neo4j jars live, shared by every instance, CI and later runs."""
    base = os.environ.get("CTKG_CACHE") or os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    path = Path(base).expanduser()
    return path if os.environ.get("CTKG_CACHE") else path / "ctkg"


def home_dir() -> Path:
    """Where the local managed server keeps its data, logs and password."""
    if os.environ.get("CTKG_HOME"):
        return Path(os.environ["CTKG_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    return Path(base).expanduser() / "ctkg"


def instance_home() -> Path:
    """The managed server's home: CTKG_NEO4J_HOME, else <CTKG_HOME>/neo4j."""
    if os.environ.get("CTKG_NEO4J_HOME"):
        return Path(os.environ["CTKG_NEO4J_HOME"]).expanduser()
    return home_dir() / "neo4j"


def config_path() -> Path:
    if os.environ.get("CTKG_CONFIG"):
        return Path(os.environ["CTKG_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(base).expanduser() / "ctkg" / "config.toml"


@dataclass(frozen=True)
class Settings:
    uri: str = f"bolt://127.0.0.1:{DEFAULT_BOLT_PORT}"
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    # Where the managed server lives; used for its password when none is configured.
    instance_dir: Path = field(default_factory=instance_home)

    def resolved_password(self) -> str:
        if self.password is not None:
            return self.password
        pw_file = self.instance_dir / "password"
        if pw_file.exists():
            return pw_file.read_text(encoding="utf-8").strip()
        raise ConfigError(
            "no Neo4j password configured: set NEO4J_PASSWORD, add it to "
            f"{config_path()} or start the local server with `ctkg neo4j start`"
        )


_ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD",
        "database": "NEO4J_DATABASE"}
_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def _read_file(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    section = data.get("neo4j", {})
    unknown = set(section) - set(_ENV)
    if unknown:
        raise ConfigError(f"config file {path}: unknown keys in [neo4j]: {', '.join(sorted(unknown))}")
    return {k: str(v) for k, v in section.items()}


def load_settings(*, uri: str | None = None, user: str | None = None,
                  database: str | None = None, password_file: str | Path | None = None,
                  instance_dir: Path | None = None) -> Settings:
    """Merge the layers; later layers win: defaults, config file, environment, CLI options."""
    values: dict = {}
    values.update(_read_file(config_path()))
    values.update({k: os.environ[e] for k, e in _ENV.items() if os.environ.get(e)})
    cli = {"uri": uri, "user": user, "database": database}
    values.update({k: v for k, v in cli.items() if v})
    if password_file:
        try:
            values["password"] = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read password file {password_file}: {exc.strerror}") from None
    settings = replace(Settings(), **values)
    if instance_dir is not None:
        settings = replace(settings, instance_dir=instance_dir)
    if "uri" not in values:
        # Nothing configured: the managed server, on the ports its home was started with.
        from ctkg.server import Instance

        settings = replace(settings, uri=Instance.at(settings.instance_dir).bolt_uri)
    if not settings.uri.startswith(_SCHEMES):
        raise ConfigError(f"unsupported Neo4j URI {settings.uri!r}: use bolt://, neo4j:// or neo4j+s://")
    return settings
