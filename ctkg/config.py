"""Connection settings: CLI options > environment > config file > the local managed server.

The password is never taken from argv: it comes from NEO4J_PASSWORD, the config file, a
``--password-file`` or, for the server ctkg manages itself, that server's password file.
"""
from __future__ import annotations

import logging
import os
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ctkg.errors import CtkgError

DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"


log = logging.getLogger(__name__)
_MAX_CONFIG_BYTES = 1024 * 1024


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
            warn_if_readable_by_others(pw_file, "it holds the Neo4j password")
            try:
                return pw_file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read the password file {pw_file}: "
                                  f"{getattr(exc, 'strerror', None) or exc}") from None
        raise ConfigError(
            "no Neo4j password configured: set NEO4J_PASSWORD, add it to "
            f"{config_path()} or start the local server with `ctkg neo4j start`"
        )


_ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD",
        "database": "NEO4J_DATABASE"}
_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")


def read_config_file(path: Path | None = None) -> dict:
    """The config file as TOML tables ({} when there is none); anything that keeps it from
    being read (a folder, no permission, not UTF-8, not TOML) is one ConfigError line."""
    path = path or config_path()
    try:
        with path.open("rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise ConfigError(f"config file {path} is not a regular file")
            raw = fh.read(_MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a folder, not a file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    if len(raw) > _MAX_CONFIG_BYTES:
        raise ConfigError(f"config file {path} is larger than {_MAX_CONFIG_BYTES:,} bytes")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def config_table(data: dict, name: str, keys, path: Path | None = None) -> dict:
    """The config file's [name] table, checked: a table, with only `keys`."""
    section = data.get(name, {})
    where = f"config file {path or config_path()}"
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: `{name}` must be a [{name}] table, not a single value")
    unknown = set(section) - set(keys)
    if unknown:
        raise ConfigError(f"{where}: unknown keys in [{name}]: {', '.join(sorted(unknown))}")
    return section


def _read_file(path: Path) -> dict:
    section = config_table(read_config_file(path), "neo4j", _ENV, path)
    for key, value in section.items():
        if not isinstance(value, str):
            raise ConfigError(f"config file {path}: [neo4j] {key} must be a string in quotes")
    if "password" in section:
        warn_if_readable_by_others(path, "the config file holds the Neo4j password")
    return dict(section)


def warn_if_readable_by_others(path: Path, why: str) -> None:
    """A warning on stderr when a file with a secret in it can be read by other users."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        log.warning("%s is readable by other users (mode %04o) and %s: chmod 600 %s",
                    path, mode, why, path)


def check_uri(uri: str) -> str:
    """The URI when the driver can use it; else one ConfigError line saying what is wrong
    (the URI is never echoed with credentials in it)."""
    if not uri.startswith(_SCHEMES):
        raise ConfigError(f"unsupported Neo4j URI {uri!r}: use bolt://, neo4j:// or neo4j+s://")
    parts = urlsplit(uri)
    if "@" in parts.netloc:
        raise ConfigError("the Neo4j URI must not hold a user or password: use NEO4J_USER and "
                          "NEO4J_PASSWORD (or --user and --password-file)")
    where = f"Neo4j URI {uri!r}"
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"{where}: the port {parts.netloc.rpartition(':')[2]!r} is not a "
                          "number from 1 to 65535")
    if not parts.hostname:
        raise ConfigError(f"{where} names no host")
    if parts.path not in ("", "/"):
        raise ConfigError(f"{where} has a path ({parts.path}); a Neo4j URI is scheme://host:port "
                          "(choose the database with --database or NEO4J_DATABASE)")
    if parts.fragment:
        raise ConfigError(f"{where} has a #fragment; a Neo4j URI is scheme://host:port")
    if parts.query:
        if uri.startswith("bolt"):
            raise ConfigError(f"{where} has a ?query: only neo4j:// URIs take one (a routing "
                              "context)")
        if "address" in parse_qs(parts.query):
            raise ConfigError(f"{where}: 'address' is reserved in a routing context")
    return uri


_LIMITS_ENV = {"max_article_bytes": "CTKG_MAX_ARTICLE_BYTES",
               "max_json_bytes": "CTKG_MAX_JSON_BYTES", "max_json_depth": "CTKG_MAX_JSON_DEPTH"}


def input_limits():
    """How large an input article may be (ctkg.loaders.articles.Limits): the defaults, then
    the config file's [input] table, then CTKG_MAX_ARTICLE_BYTES, CTKG_MAX_JSON_BYTES and
    CTKG_MAX_JSON_DEPTH."""
    from ctkg.loaders.articles import Limits

    path = config_path()
    values = dict(config_table(read_config_file(path), "input", _LIMITS_ENV, path))
    values.update({k: os.environ[e] for k, e in _LIMITS_ENV.items() if os.environ.get(e)})
    for key, value in values.items():
        values[key] = _positive(value)
        if values[key] is None:
            raise ConfigError(f"{key} ({_LIMITS_ENV[key]} or [input] in {path}) must be a "
                              f"whole number above 0, not {value!r}")
    return Limits(**values)


def _positive(value) -> int | None:
    """A whole number above 0 from TOML (an integer) or the environment (its digits)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return value if type(value) is int and value > 0 else None


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
        except UnicodeDecodeError:
            raise ConfigError(f"password file {password_file} is not UTF-8 text") from None
        warn_if_readable_by_others(Path(password_file), "it holds the Neo4j password")
    settings = replace(Settings(), **values)
    if instance_dir is not None:
        settings = replace(settings, instance_dir=instance_dir)
    if "uri" not in values:
        # Nothing configured: the managed server, on the ports its home was started with.
        from ctkg.server import Instance

        settings = replace(settings, uri=Instance.at(settings.instance_dir).bolt_uri)
    check_uri(settings.uri)
    return settings


# -- trained spaCy pipelines (optional; loaders/models.py) ---------------------------------
MODEL_LANGS = ("ar", "fr", "en")
_MODEL_ENV = {lang: f"CTKG_MODEL_{lang.upper()}" for lang in MODEL_LANGS}
# Off by default: on the dev set the small models' names did not raise any folder's score
# (README, "The extractor"). A user turns one on with e.g. CTKG_MODEL_FR=fr_core_news_md.
DEFAULT_MODELS = {lang: "" for lang in MODEL_LANGS}
_NO_MODEL = ("", "none", "off")


def model_names() -> dict[str, str | None]:
    """The trained spaCy pipeline to read each language with (a package name or a path), or
    None for rules alone: the defaults, then the config file's [models] table (`fr =
    "fr_core_news_md"`), then CTKG_MODEL_AR, CTKG_MODEL_FR and CTKG_MODEL_EN. "none" (or an
    empty value) turns a language's model off."""
    path = config_path()
    values = dict(DEFAULT_MODELS)
    for lang, value in config_table(read_config_file(path), "models", MODEL_LANGS, path).items():
        if not isinstance(value, str):
            raise ConfigError(f"config file {path}: [models] {lang} must be a string in quotes "
                              "(a spaCy pipeline's name or path, or \"none\")")
        values[lang] = value
    values.update({lang: os.environ[e] for lang, e in _MODEL_ENV.items() if e in os.environ})
    return {lang: None if v.strip().lower() in _NO_MODEL else v.strip()
            for lang, v in values.items()}
