"""Turn a database address, in the forms recon accepts, into Django settings.

recon (through pgx) accepts a URL (postgres://user:pass@host:port/db?sslmode=…,
with a Unix-socket directory as ?host=/path) or libpq keyword/value pairs
(host=/tmp dbname=x). Anything not given is left empty so that libpq falls
back to the PG* environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE,
PGPASSWORD), exactly as recon does.

to_url goes the other way, for the management commands that run recon
against the project's own DATABASES setting.
"""
import shlex
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

_KEYS = {"host": "HOST", "port": "PORT", "user": "USER", "password": "PASSWORD", "dbname": "NAME"}


def parse(url):
    """Return the NAME/USER/PASSWORD/HOST/PORT/OPTIONS of a Django DATABASES entry."""
    db = {"NAME": "", "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {}}
    url = (url or "").strip()
    if not url:
        return db
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        db["NAME"] = unquote(parts.path.lstrip("/"))
        db["USER"] = unquote(parts.username or "")
        db["PASSWORD"] = unquote(parts.password or "")
        try:
            db["HOST"] = unquote(parts.hostname or "")
            db["PORT"] = str(parts.port or "")
        except ValueError:  # a host list, h1:5432,h2:5433, is host=h1,h2 port=5432,5433 for libpq
            hosts = [h.rpartition(":") if ":" in h else (h, "", "") for h in parts.netloc.rsplit("@", 1)[-1].split(",")]
            db["HOST"] = ",".join(h for h, _, _ in hosts)
            db["PORT"] = ",".join(p for _, _, p in hosts) if any(p for _, _, p in hosts) else ""
        pairs = parse_qsl(parts.query, keep_blank_values=True)
    else:
        pairs = [tuple(p.split("=", 1)) for p in shlex.split(url) if "=" in p]
    for key, value in pairs:
        if key in _KEYS:
            db[_KEYS[key]] = value
        elif key not in ("pool_max_conns", "pool_min_conns"):  # pgx pool settings mean nothing to libpq
            db["OPTIONS"][key] = value
    return db


# Django's own OPTIONS, which are no connection parameters.
_DJANGO_ONLY = {"isolation_level"}


def to_url(db):
    """Return a postgres:// URL recon accepts for a Django DATABASES entry (parse's inverse).

    Host and port go in the query, which carries Unix-socket folders and host
    lists alike; empty parts are left out so that PG* fill them, as in parse.
    """
    user, password = db.get("USER") or "", db.get("PASSWORD") or ""
    auth = ""
    if user or password:
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "") + "@"
    query = [(k, str(db.get(k.upper()))) for k in ("host", "port") if db.get(k.upper())]
    for key, value in (db.get("OPTIONS") or {}).items():
        if key not in _DJANGO_ONLY and value is not None:
            query.append((key, str(value)))
    url = "postgres://" + auth + "/" + quote(db.get("NAME") or "", safe="")
    return url + ("?" + urlencode(query) if query else "")
