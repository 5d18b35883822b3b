"""Settings of the minimal Pet-Friendly project recon's schema contract is tested with.

The database comes from DATABASE_URL (the forms recon accepts, see dburl.py)
or, when that is unset, from the PG* variables libpq reads itself.
"""
import getpass
import os
from pathlib import Path

from petfriendly import dburl

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "recon-contract-only-not-for-production")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "accounts",
    "vet_clinic",
    "pets",
    "medical",
    "appointments",
    "billing",
    "inventory",
    "documents",
    "migration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "petfriendly.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", **dburl.parse(os.environ.get("DATABASE_URL", ""))}}
# Django insists on a name; libpq's own default is the user's name.
if not DATABASES["default"]["NAME"]:
    DATABASES["default"]["NAME"] = os.environ.get("PGDATABASE") or os.environ.get("PGUSER") or getpass.getuser()

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "es-co"
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_L10N = True
USE_TZ = True

STATIC_URL = "/static/"
# The admin's static files are served by petfriendly/urls.py, DEBUG or not.

# recon, run by the migration app's management commands (import_okvet_*,
# verify_migration, rollback_migration, compare_migration): its path, else it
# is looked up on the PATH; and its working folder (recon's --home), else
# recon's own default (.recon in the current folder, or $RECON_HOME).
RECON_BIN = os.environ.get("RECON_BIN", "")
RECON_HOME = os.environ.get("RECON_HOME", "")
