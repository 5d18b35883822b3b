"""Run the recon binary against this project's own database.

The management commands (import_okvet_*, verify_migration,
rollback_migration, compare_migration) are thin: each turns its options into
one recon command, gives recon the DATABASES['default'] setting as
DATABASE_URL (in the environment, so a password is not on the command line),
lets recon write to the terminal itself and exits with recon's exit code
(0 verified or done, 1 problems found, 2 could not run). recon is found by
the RECON_BIN setting or environment variable, else on the PATH. Any other
recon option goes after "--": manage.py verify_migration --report=r.html -- --sample=20
"""
import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from petfriendly import dburl

# Exit code recon itself uses for "could not run".
EXIT_CANNOT_RUN = 2


def recon_binary():
    """The recon executable: RECON_BIN (setting, then environment), then the PATH."""
    configured = getattr(settings, "RECON_BIN", "") or os.environ.get("RECON_BIN", "")
    if configured:
        path = shutil.which(str(configured))
        if path is None:
            raise CommandError(f"RECON_BIN={configured}: no existe o no es ejecutable", returncode=EXIT_CANNOT_RUN)
        return path
    path = shutil.which("recon")
    if path is None:
        raise CommandError("no se encontró el programa recon: póngalo en el PATH o indique su ruta en RECON_BIN "
                           "(ajuste de Django o variable de entorno)", returncode=EXIT_CANNOT_RUN)
    return path


def flag(name, **kwargs):
    """One option passed on to recon under the same name."""
    return (name, kwargs)


# Options every import shares (recon's importFlags), given only when set.
IMPORT_FLAGS = [
    flag("--dry-run", action="store_true", help="Valida todo sin escribir datos (el lote queda como simulación)."),
    flag("--batch-size", type=int, help="Filas por bloque COPY."),
    flag("--orphans", choices=["flag", "placeholder"], help="Registros huérfanos: flag (no se importan) o placeholder."),
    flag("--mapping", help="Archivo TOML de mapeo de columnas y vocabulario."),
    flag("--profile", help="Fuerza el perfil: seed, okvet-mascotas, okvet-dump."),
    flag("--media-dir", help="Almacén de adjuntos."),
    flag("--operator", help="Nombre de quien ejecuta la migración (por defecto $RECON_OPERATOR o $USER)."),
    flag("--wait", action="store_true", help="Espera a que termine otra importación o reversión en curso."),
]


class ReconCommand(BaseCommand):
    """A management command that is one recon command."""

    recon_command = ()  # e.g. ("import", "pets")
    recon_flags = []  # flag(...) entries

    def add_arguments(self, parser):
        for name, kwargs in self.recon_flags:
            parser.add_argument(name, **kwargs)
        parser.add_argument("recon_args", nargs="*", metavar="-- OPCIONES_DE_RECON",
                            help="Otras opciones de recon, después de --.")

    def recon_argv(self, options):
        argv = list(self.recon_command)
        for name, kwargs in self.recon_flags:
            value = options.get(name.lstrip("-").replace("-", "_"))
            if value is None or value is False:
                continue
            argv.append(name if value is True else f"{name}={value}")
        return argv + list(options["recon_args"])

    def handle(self, *args, **options):
        env = dict(os.environ, DATABASE_URL=dburl.to_url(settings.DATABASES["default"]))
        home = getattr(settings, "RECON_HOME", "")
        if home:
            env["RECON_HOME"] = str(home)
        code = subprocess.run([recon_binary(), *self.recon_argv(options)], env=env).returncode
        if code != 0:
            sys.exit(code)


class ImportCommand(ReconCommand):
    """recon import <type> --file=…"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = f"Importa un archivo de exportación de OkVet con «recon {' '.join(self.recon_command)}»."
        self.recon_flags = [flag("--file", required=True, help="Archivo de exportación a importar.")] + IMPORT_FLAGS
