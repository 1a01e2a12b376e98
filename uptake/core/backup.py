"""Back up and restore everything Uptake keeps: every row of every model, and every uploaded file.

An archive is one zip file:

- ``data/<app>.<model>.jsonl``: the rows of one model in Django's JSON Lines serialisation,
  primary keys kept, written and read as streams (one chunk of rows in memory at a time);
- ``media/<path>``: every file under MEDIA_ROOT (evidence), byte for byte;
- ``manifest.json``, written last: format version, Uptake and Django versions, database
  vendor, creation time, the applied migrations, the models in load order with their row
  counts, and the size and sha256 of every other member.

Sessions are left out on purpose: a session key is a live sign-in credential, so it does not
belong in a file that gets copied around, and a restore signs everyone out anyway.

Restore checks the whole archive before it touches anything, then replaces the database in one
transaction and swaps the media folder's contents only once the rows are in, undoing the swap
if the transaction fails.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import secrets
import shutil
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import caches
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from uptake.core.database import refresh_planner_statistics

FORMAT = "uptake-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data/"
MEDIA_DIR = "media/"
# Left out of every backup: see the module docstring.
EXCLUDED_MODELS = frozenset({"sessions.session"})
# Rows that `migrate` creates by itself: a database holding only these counts as empty.
MIGRATE_CREATED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})
# Restore stages files in a folder of this name inside MEDIA_ROOT (same file system, so moves
# are renames); backup never archives such folders.
STAGING_PREFIX = ".uptake-restore-"
ROW_BATCH = 1000
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup or restore cannot go on. The message is a full sentence for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    rows: dict[str, int]
    media_files: int
    size: int


@dataclass(frozen=True)
class RestoreResult:
    rows: dict[str, int]
    media_files: int
    manifest: dict[str, Any] = field(repr=False)


def _silent(message: str) -> None:
    """The default progress sink: say nothing."""


def _uptake_version() -> str:
    try:
        return metadata.version("uptake")
    except metadata.PackageNotFoundError:
        return "unknown"


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, in an order that loads parents before children
    where the schema allows it (the rest rely on foreign keys checked at commit)."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model
        for model in ordered
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label_lower not in EXCLUDED_MODELS
    ]


_Link = tuple[type[models.Model], "models.Field[Any, Any]", "models.Field[Any, Any]"]


def _auto_m2m(model: type[models.Model]) -> dict[str, _Link]:
    """MODEL's many-to-many fields whose link table Django made (the others are models of
    their own, backed up as such), with the link model and its keys towards each side."""
    found: dict[str, _Link] = {}
    for field_ in model._meta.many_to_many:
        through = field_.remote_field.through
        if through is None or not through._meta.auto_created:
            continue
        source = through._meta.get_field(field_.m2m_field_name())
        target = through._meta.get_field(field_.m2m_reverse_field_name())
        if not isinstance(source, models.Field) or not isinstance(target, models.Field):
            raise TypeError(f"Unexpected link table for {model._meta.label}.{field_.name}.")
        found[field_.name] = (through, source, target)
    return found


def _applied_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class _PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class _HashingWriter:
    """Writes text or bytes into a zip member, counting and hashing what it writes."""

    def __init__(self, member: IO[bytes]) -> None:
        self._member = member
        self._pending: list[str] = []
        self._pending_chars = 0
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._pending_chars += len(text)
        if self._pending_chars >= 1 << 16:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self._pending:
            data = "".join(self._pending).encode()
            self._pending.clear()
            self._pending_chars = 0
            self.write_bytes(data)

    def write_bytes(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)
        self._member.write(data)


def _member_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


@contextmanager
def _snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Read every table from one consistent state of the database, without blocking writers."""
    if connection.in_atomic_block:  # already inside a transaction (a test, a caller's atomic)
        yield
        return
    if connection.vendor == "sqlite":
        # Django opens SQLite transactions with BEGIN IMMEDIATE (the write lock); a deferred
        # read transaction gives the same snapshot in WAL mode and lets the site keep writing.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _write_rows(
    archive: zipfile.ZipFile, model: type[models.Model], alias: str
) -> tuple[str, int, _HashingWriter]:
    name = f"{DATA_DIR}{model._meta.label_lower}.jsonl"
    queryset = model._base_manager.using(alias).order_by("pk")
    m2m = list(_auto_m2m(model))
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    count = 0

    def counted() -> Iterator[models.Model]:
        nonlocal count
        for obj in queryset.iterator(chunk_size=2000):
            count += 1
            yield obj

    with archive.open(_member_info(name), "w", force_zip64=True) as member:
        writer = _HashingWriter(member)
        serializers.serialize("jsonl", counted(), stream=writer, cls=_PreciseJSONEncoder)
        writer.flush()
    return name, count, writer


def _media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under MEDIA_ROOT with its archive name, in a stable order."""
    if not media_root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(media_root):
        here = Path(directory)
        if here == media_root:
            dirnames[:] = [d for d in dirnames if not d.startswith(STAGING_PREFIX)]
        dirnames.sort()
        for filename in sorted(filenames):
            path = here / filename
            if path.is_file():
                yield path, MEDIA_DIR + path.relative_to(media_root).as_posix()


def _write_media(archive: zipfile.ZipFile, media_root: Path) -> dict[str, dict[str, Any]]:
    members: dict[str, dict[str, Any]] = {}
    for path, name in _media_files(media_root):
        with (
            path.open("rb") as source,
            archive.open(_member_info(name), "w", force_zip64=True) as member,
        ):
            writer = _HashingWriter(member)
            while chunk := source.read(CHUNK):
                writer.write_bytes(chunk)
        members[name] = {"size": writer.size, "sha256": writer.sha256.hexdigest()}
    return members


def backup(
    *,
    path: Path,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    out: Callable[[str], None] = _silent,
) -> BackupResult:
    """Write the whole database and every media file to the archive PATH.

    The archive is written to a temporary file beside PATH and renamed into place at the end,
    so a failure never leaves a partial archive at PATH. An existing PATH is kept unless FORCE.
    """
    path = Path(path)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    if path.exists() and not force:
        raise BackupError(
            f"{path} already exists. Choose another name, or use --force to replace it."
        )
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    connection = connections[using]
    model_entries: list[dict[str, Any]] = []
    handle, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                members: dict[str, dict[str, Any]] = {}
                with _snapshot(connection):
                    migrations = _applied_migrations(connection)
                    for model in backed_up_models():
                        name, count, writer = _write_rows(archive, model, using)
                        members[name] = {"size": writer.size, "sha256": writer.sha256.hexdigest()}
                        model_entries.append(
                            {"model": model._meta.label_lower, "member": name, "rows": count}
                        )
                        out(f"{model._meta.label_lower}: {count} rows")
                # Files after rows: every file a backed-up row names already exists by now.
                media = _write_media(archive, media_root)
                members.update(media)
                out(f"media: {len(media)} files")
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "uptake_version": _uptake_version(),
                    "django_version": django.get_version(),
                    "database_vendor": connection.vendor,
                    "created_at": timezone.now().isoformat(),
                    "migrations": migrations,
                    "models": model_entries,
                    "media_files": len(media),
                    "members": members,
                }
                archive.writestr(_member_info(MANIFEST), json.dumps(manifest, indent=1))
            raw.flush()
            os.fsync(raw.fileno())  # the central directory is written on close
        _move_into_place(temp, path, force=force)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    rows = {entry["model"]: entry["rows"] for entry in model_entries}
    return BackupResult(path=path, rows=rows, media_files=len(media), size=path.stat().st_size)


def _move_into_place(temp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)  # fails if PATH appeared meanwhile, where a rename would clobber it
    except FileExistsError as exc:
        raise BackupError(
            f"{path} already exists. Choose another name, or use --force to replace it."
        ) from exc
    except OSError:  # a file system without hard links
        if path.exists():
            raise BackupError(
                f"{path} already exists. Choose another name, or use --force to replace it."
            ) from None
        os.replace(temp, path)
        return
    temp.unlink()


# Restore -------------------------------------------------------------------------------------


def _refuse(path: Path, problem: str) -> BackupError:
    return BackupError(f"{path} is not a usable Uptake backup: {problem} Nothing was changed.")


def _safe_media_name(name: str) -> PurePosixPath | None:
    relative = PurePosixPath(name[len(MEDIA_DIR) :])
    if (
        not name.startswith(MEDIA_DIR)
        or "\\" in name
        or relative.is_absolute()
        or not relative.parts
        or any(part in ("", ".", "..") for part in relative.parts)
        or relative.parts[0].startswith(STAGING_PREFIX)
    ):
        return None
    return relative


def _verify_member(archive: zipfile.ZipFile, name: str, expected: dict[str, Any]) -> None:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
        raise ValueError(f"{name} does not match its checksum")


def verify(*, path: Path) -> dict[str, Any]:
    """Check the archive PATH completely (format, versions, every member's checksum) and
    return its manifest; raise BackupError naming the problem otherwise."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if MANIFEST not in names:
                raise _refuse(path, "it has no manifest.")
            manifest = json.loads(archive.read(MANIFEST))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise _refuse(path, "its manifest is not an Uptake backup manifest.")
            version = manifest.get("format_version")
            if version != FORMAT_VERSION:
                raise _refuse(
                    path,
                    f"it is in backup format {version!r}; this version of Uptake reads format "
                    f"{FORMAT_VERSION}.",
                )
            members = manifest.get("members")
            entries = manifest.get("models")
            if not isinstance(members, dict) or not isinstance(entries, list):
                raise _refuse(path, "its manifest lists no members.")
            listed = set(members)
            present = set(names) - {MANIFEST}
            if len(names) != len(set(names)) or listed != present:
                extra = sorted(present - listed)[:3]
                missing = sorted(listed - present)[:3]
                raise _refuse(
                    path,
                    f"its members do not match its manifest (unexpected: {extra}, missing: "
                    f"{missing}).",
                )
            for name in names:
                if name.startswith(MEDIA_DIR):
                    if _safe_media_name(name) is None:
                        raise _refuse(path, f"it holds a file with an unsafe name, {name!r}.")
                elif name != MANIFEST and not name.startswith(DATA_DIR):
                    raise _refuse(path, f"it holds an unexpected member, {name!r}.")
            for entry in entries:
                if (
                    not isinstance(entry, dict)
                    or not isinstance(entry.get("model"), str)
                    or entry.get("member") not in members
                    or not isinstance(entry.get("rows"), int)
                ):
                    raise _refuse(path, "its manifest lists a model without its data.")
            for name in names:
                if name != MANIFEST:
                    _verify_member(archive, name, members[name])
    except BackupError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as exc:
        raise _refuse(path, f"it is damaged or not a zip archive ({exc}).") from exc
    return manifest


def _check_compatible(
    path: Path, manifest: dict[str, Any], connection: BaseDatabaseWrapper
) -> None:
    installed = {model._meta.label_lower for model in backed_up_models()}
    unknown = [e["model"] for e in manifest["models"] if e["model"] not in installed]
    if unknown:
        raise _refuse(path, f"it holds models this installation does not have: {unknown[:5]}.")
    here = set(_applied_migrations(connection))
    if not here:
        raise BackupError(
            "This database has no tables yet. Run `uptake migrate` first, then restore. "
            "Nothing was changed."
        )
    there = set(manifest.get("migrations", []))
    if here != there:
        only_backup = sorted(there - here)[:3]
        only_here = sorted(here - there)[:3]
        raise BackupError(
            f"{path} was taken from a database at another schema version (migrations only in "
            f"the backup: {only_backup}; only in this database: {only_here}). Restore it with "
            "the Uptake version that made it, then upgrade. Nothing was changed."
        )


def _nonempty_reason(alias: str, media_root: Path) -> str | None:
    for model in backed_up_models():
        if model._meta.label_lower in MIGRATE_CREATED_MODELS:
            continue
        if model._base_manager.using(alias).exists():
            return f"this database already holds {model._meta.verbose_name_plural}"
    if next(_media_files(media_root), None) is not None:
        return f"the media folder {media_root} already holds files"
    return None


def _stage_media(archive: zipfile.ZipFile, staging: Path) -> int:
    count = 0
    for name in archive.namelist():
        relative = _safe_media_name(name) if name.startswith(MEDIA_DIR) else None
        if relative is None:
            continue
        target = staging.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as member, target.open("wb") as copy:
            shutil.copyfileobj(member, copy, CHUNK)
        count += 1
    return count


class _MediaSwap:
    """Moves MEDIA_ROOT's entries aside and the staged ones in; `undo` puts them back."""

    def __init__(self, media_root: Path, new: Path, old: Path) -> None:
        self.media_root, self.new, self.old = media_root, new, old
        self.moved_old: list[str] = []
        self.moved_new: list[str] = []

    def run(self) -> None:
        self.old.mkdir()
        for entry in sorted(self.media_root.iterdir()):
            if not entry.name.startswith(STAGING_PREFIX):
                os.replace(entry, self.old / entry.name)
                self.moved_old.append(entry.name)
        for entry in sorted(self.new.iterdir()):
            os.replace(entry, self.media_root / entry.name)
            self.moved_new.append(entry.name)

    def undo(self) -> None:
        for name in reversed(self.moved_new):
            os.replace(self.media_root / name, self.new / name)
        for name in reversed(self.moved_old):
            os.replace(self.old / name, self.media_root / name)


def _flush(connection: BaseDatabaseWrapper) -> None:
    """Empty every table, as `flush --inhibit-post-migrate` does: content types and
    permissions are not re-created, since the archive brings its own with their keys."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses while deferred foreign-key checks are pending (rows written earlier
        # in an enclosing transaction): run them now.
        connection.check_constraints()
    statements = sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
    if statements:
        connection.ops.execute_sql_flush(statements)


def _load_rows(archive: zipfile.ZipFile, name: str, model: type[models.Model], alias: str) -> int:
    """Insert the rows of one member as they are (keys, timestamps, file names), in batches.

    Rows go in raw, as `loaddata` saves them: no `save()` logic, no signals, no auto_now; but
    several rows per INSERT, which makes a large restore many times faster than row by row.
    """
    connection = connections[alias]
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    batch_size = max(1, min(ROW_BATCH, connection.ops.bulk_batch_size(fields, [None] * ROW_BATCH)))
    m2m_fields = _auto_m2m(model)
    batch: list[models.Model] = []
    links: dict[str, list[models.Model]] = {key: [] for key in m2m_fields}
    count = 0

    def insert(model_: type[models.Model], objs: list[models.Model], fields_: list[Any]) -> None:
        size = max(1, min(ROW_BATCH, connection.ops.bulk_batch_size(fields_, objs)))
        for start in range(0, len(objs), size):
            queryset = model_._base_manager.using(alias)
            queryset._insert(objs[start : start + size], fields=fields_, raw=True, using=alias)  # type: ignore[attr-defined]

    def flush_batch() -> None:
        insert(model, batch, fields)
        batch.clear()
        for key, (through, source, target) in m2m_fields.items():
            if links[key]:
                insert(through, links[key], [source, target])
                links[key].clear()

    with archive.open(name) as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        for item in serializers.deserialize("jsonl", text, using=alias):
            obj = item.object
            if type(obj) is not model:
                raise DeserializationError(f"{name} holds a {obj._meta.label_lower} row.")
            batch.append(obj)
            count += 1
            for key, pks in (item.m2m_data or {}).items():
                through, source, target = m2m_fields[key]
                links[key].extend(
                    through(**{source.attname: obj.pk, target.attname: pk}) for pk in pks
                )
            if len(batch) >= batch_size:
                flush_batch()
    if batch or any(links.values()):
        flush_batch()
    return count


def restore(
    *,
    path: Path,
    replace: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    out: Callable[[str], None] = _silent,
) -> RestoreResult:
    """Replace the database and the media folder with the contents of the archive PATH.

    The archive is checked completely first. Without REPLACE the database must be empty (only
    what `migrate` creates) and the media folder too. Rows load in one transaction; the media
    folder changes only if they all loaded, and is put back if the commit fails.
    """
    path = Path(path)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    connection = connections[using]
    manifest = verify(path=path)
    out(
        f"Checked {path}: Uptake {manifest.get('uptake_version')}, "
        f"{manifest.get('database_vendor')}, made {manifest.get('created_at')}."
    )
    _check_compatible(path, manifest, connection)
    if not replace:
        reason = _nonempty_reason(using, media_root)
        if reason is not None:
            raise BackupError(
                f"Restoring replaces everything, and {reason}. Run again with --replace to "
                "confirm, or restore into an empty database. Nothing was changed."
            )
    _check_caches()
    media_root.mkdir(parents=True, exist_ok=True)
    staging = media_root / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
    swap = _MediaSwap(media_root, staging / "new", staging / "old")
    rows: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            (staging / "new").mkdir(parents=True)
            media_files = _stage_media(archive, staging / "new")
            by_label = {model._meta.label_lower: model for model in backed_up_models()}
            loaded = [by_label[entry["model"]] for entry in manifest["models"]]
            with transaction.atomic(using=using):
                _flush(connection)
                for entry in manifest["models"]:
                    model = by_label[entry["model"]]
                    rows[entry["model"]] = _load_rows(archive, entry["member"], model, using)
                    out(f"{entry['model']}: {rows[entry['model']]} rows")
                _check_loaded(connection, loaded, manifest, rows)
                # Cached figures and pages were made from the data being replaced (with
                # CACHE_BACKEND=database, every server shares them). Emptied before the
                # commit, so that a failure here still leaves the database as it was.
                for each in caches.all():
                    each.clear()
                swap.run()
            ContentType.objects.clear_cache()
            refresh_planner_statistics(connection)
    except BaseException as exc:
        swap.undo()
        if isinstance(
            exc, DeserializationError | DatabaseError | zipfile.BadZipFile | zlib.error | KeyError
        ):
            raise BackupError(
                # The reason may end with its own full stop (a DeserializationError's does).
                f"Restoring {path} failed and was undone: {str(exc).rstrip('.')}. "
                "Nothing was changed."
            ) from exc
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    out(f"media: {media_files} files")
    return RestoreResult(rows=rows, media_files=media_files, manifest=manifest)


def _check_caches() -> None:
    """Every cache can be emptied: with CACHE_BACKEND=database, its tables exist."""
    for alias in settings.CACHES:
        try:
            # A savepoint: on PostgreSQL, a failed read would spoil an enclosing transaction.
            with transaction.atomic():
                caches[alias].has_key("uptake-restore-check")
        except DatabaseError as exc:
            raise BackupError(
                f"The {alias!r} cache cannot be read ({exc}): run `uptake createcachetable` "
                "first, then restore again. Nothing was changed."
            ) from exc


def _check_loaded(
    connection: BaseDatabaseWrapper,
    loaded: list[type[models.Model]],
    manifest: dict[str, Any],
    rows: dict[str, int],
) -> None:
    """Foreign keys hold, sequences continue after the highest key, and counts match."""
    tables = [model._meta.db_table for model in loaded]
    tables += [link[0]._meta.db_table for model in loaded for link in _auto_m2m(model).values()]
    connection.check_constraints(table_names=tables)
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    for entry in manifest["models"]:
        if rows[entry["model"]] != entry["rows"]:
            raise BackupError(
                f"The archive lists {entry['rows']} rows of {entry['model']} but holds "
                f"{rows[entry['model']]}. Nothing was changed."
            )
