from migration.recon import ReconCommand, flag


class Command(ReconCommand):
    help = ("Compara los ensayos de migración guardados («recon compare»); las verificaciones a comparar, "
            "si no son todas, van después de --.")
    recon_command = ("compare",)
    recon_flags = [
        flag("--output", help="Archivo HTML de la comparación."),
        flag("--json", help="Escribe también la comparación en JSON (- para la salida estándar)."),
    ]
