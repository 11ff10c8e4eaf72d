"""`flask backup` and `flask restore`: the database, the evidence files and the audit public key, together.

A backup is one folder (or, with --archive, one .tar.gz of it):

    manifest.json            what is in it, and the SHA-256 of every other file
    database.sqlite          SQLite: a consistent copy made with SQLite's online backup API
    database.dump            PostgreSQL: pg_dump's custom format (restored with pg_restore)
    evidence/ab/abcdef…      the evidence store as it was just after the database copy
    audit-public-key.pem     the key that verifies the audit checkpoints (never the private key)

The database is copied first and the evidence store after it: every row in the copy already has its file
(published, or staged if its worker died before publishing), so a restore never has a row without a file.
Files uploaded while the backup ran may come along without rows; restore's sweep removes them.

The private signing key is deliberately not in the backup: keep it apart (a secret store). A backup
restored where the key is lost can still be verified, read-only, with the public key it carries.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from . import storage
from .extensions import db

FORMAT = "copro-tracker-backup/1"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq(url: sa.URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment (never on argv)."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools (e.g. apt install postgresql-client)."
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _revision() -> str | None:
    try:
        return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None


def _copy_database(folder: Path) -> str:
    engine = db.engine
    if engine.dialect.name == "sqlite":
        target = folder / "database.sqlite"
        raw = engine.raw_connection()
        try:
            copy = sqlite3.connect(target)
            try:
                raw.driver_connection.backup(copy)  # type: ignore[union-attr]
            finally:
                copy.close()
        finally:
            raw.close()
        return target.name
    if engine.dialect.name == "postgresql":
        target = folder / "database.dump"
        args, env = _libpq(engine.url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args], env)
        return target.name
    raise BackupError(f"Backing up a {engine.dialect.name} database is not supported.")


def _public_key_pem() -> str | None:
    from .audit import ledger, service

    try:
        return ledger.public_key_pem(service.signing_key(create=False))
    except service.AuditKeyError:
        return None


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


def backup(destination: Path, *, archive: bool = False) -> BackupResult:
    """Write a backup into a new folder under `destination` (see the module's docstring)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    destination.mkdir(parents=True, exist_ok=True)
    folder = destination / f"copro-backup-{stamp}"
    try:
        folder.mkdir()
    except FileExistsError as error:
        raise BackupError(f"{folder} already exists: wait a second and run the backup again.") from error
    revision = _revision()
    database = _copy_database(folder)
    evidence = folder / "evidence"
    files = 0
    store = storage.backend(storage.EVIDENCE)  # the local folder or the S3 bucket alike
    for entry in sorted(store.entries(), key=lambda e: e.name):
        target = evidence / entry.key[:2] / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with store.open_entry(entry) as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy)
        except FileNotFoundError:
            target.unlink(missing_ok=True)  # published or swept meanwhile; its other name is copied if listed
            continue
        os.utime(target, (entry.modified, entry.modified))  # a restore keeps each file's age for the sweep
        files += 1
    pem = _public_key_pem()
    if pem is not None:
        (folder / "audit-public-key.pem").write_text(pem, encoding="ascii")
    parts = sorted(p for p in folder.rglob("*") if p.is_file())
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "service": current_app.config.get("SERVICE_NAME"),
        "database": {"dialect": db.engine.dialect.name, "file": database, "alembic_revision": revision},
        "evidence_files": files,
        "audit_public_key": "audit-public-key.pem" if pem is not None else None,
        "parts": [
            {"path": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": _sha256(p)} for p in parts
        ],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    if not archive:
        return BackupResult(folder, manifest)
    packed = folder.with_name(folder.name + ".tar.gz")
    with tarfile.open(packed, "w:gz") as tar:
        tar.add(folder, arcname=folder.name)
    shutil.rmtree(folder)
    return BackupResult(packed, manifest)


def _unpack(source: Path, scratch: Path) -> Path:
    if source.is_dir():
        return source
    if not tarfile.is_tarfile(source):
        raise BackupError(f"{source} is neither a backup folder nor a .tar.gz made by 'flask backup'.")
    with tarfile.open(source) as tar:
        tar.extractall(scratch, filter="data")  # refuses absolute paths, links out and devices
    found = [p.parent for p in scratch.rglob(MANIFEST)]
    if len(found) != 1:
        raise BackupError(f"{source} does not hold exactly one backup.")
    return found[0]


def check(folder: Path) -> dict:
    """The backup's manifest, once every part it lists is present with its recorded SHA-256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is not a backup made by 'flask backup' (format {manifest.get('format')!r}).")
    for part in manifest["parts"]:
        path = folder / part["path"]
        if not path.resolve().is_relative_to(folder.resolve()) or not path.is_file():
            raise BackupError(f"The backup is incomplete: {part['path']} is missing.")
        if _sha256(path) != part["sha256"]:
            raise BackupError(f"The backup is damaged: {part['path']} does not match its SHA-256 in the manifest.")
    return manifest


def _holds_data() -> list[str]:
    """Tables of the configured database that have rows (alembic's own bookkeeping aside)."""
    inspector = sa.inspect(db.engine)
    busy = []
    with db.engine.connect() as connection:
        for table in inspector.get_table_names():
            if table == "alembic_version":
                continue
            quoted = db.engine.dialect.identifier_preparer.quote(table)
            if connection.execute(sa.text(f"SELECT 1 FROM {quoted} LIMIT 1")).first() is not None:  # noqa: S608
                busy.append(table)
    return busy


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    evidence_files: int
    moved_aside: str | None  # where the evidence store that was there went (a folder)
    sweep: storage.SweepReport


def restore(source: Path, *, force: bool = False) -> RestoreResult:
    """Restore a backup into the configured database and evidence store.

    Refuses when the database holds any rows, or the evidence store any file, unless `force`; with force,
    the evidence store is moved aside (never deleted) and the database is replaced.
    """
    with tempfile.TemporaryDirectory(prefix="copro-restore-") as scratch:
        folder = _unpack(source, Path(scratch))
        manifest = check(folder)
        dialect = db.engine.dialect.name
        if manifest["database"]["dialect"] != dialect:
            raise BackupError(
                f"The backup is of a {manifest['database']['dialect']} database; this service uses {dialect}."
            )
        store = storage.backend(storage.EVIDENCE)
        has_files = bool(store.entries())
        can_move_aside = hasattr(store, "move_aside")
        if has_files and force and not can_move_aside:
            raise BackupError(
                f"Not restored: the evidence store {store.describe()} has files, and a bucket cannot be moved "
                "aside. Restore into an empty one: use a new bucket, or set S3_PREFIX to a new, empty prefix."
            )
        tables = _holds_data()
        if (tables or has_files) and not force:
            what = []
            if tables:
                what.append(
                    f"the database has data (in {', '.join(sorted(tables)[:5])}{'…' if len(tables) > 5 else ''})"
                )
            if has_files:
                what.append(f"the evidence store {store.describe()} has files")
            raise BackupError(
                f"Not restored: {' and '.join(what)}. Restoring would replace them. Restore into an empty "
                "database and store, or add --force (the current evidence store is then moved aside, not deleted)."
            )
        db.session.remove()
        db.engine.dispose()
        database = folder / manifest["database"]["file"]
        if dialect == "sqlite":
            raw = db.engine.raw_connection()
            try:
                copy = sqlite3.connect(database)
                try:
                    copy.backup(raw.driver_connection)  # type: ignore[arg-type]
                finally:
                    copy.close()
            finally:
                raw.close()
        else:
            args, env = _libpq(db.engine.url)
            _run(
                [
                    _tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(database),
                ],
                env,
            )
        db.engine.dispose()
        moved = None
        if has_files:
            moved = store.move_aside(f"before-restore-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
        restored = 0
        backed_up = folder / "evidence"
        if backed_up.is_dir():
            for path in sorted(backed_up.rglob("*")):
                key = path.name.removesuffix(storage.TEMP_SUFFIX)
                if path.is_file() and storage.is_key(key):
                    staged = path.name != key
                    entry = storage.Entry(key, path.name, staged=staged, modified=path.stat().st_mtime)
                    store.put_entry(entry, path.read_bytes())
                    restored += 1
    from .activities.service import sweep_evidence_store

    # No upload can be in flight into a store being restored: tidy it at once.
    report = sweep_evidence_store(grace_seconds=0)
    return RestoreResult(manifest, restored, moved, report)
