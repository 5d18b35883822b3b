from migration.recon import ReconCommand, flag


class Command(ReconCommand):
    help = ("Verifica la migración («recon verify»): sale con 0 si está verificada, 1 si hay problemas, "
            "2 si no se pudo verificar.")
    recon_command = ("verify",)
    recon_flags = [
        flag("--report", help="Escribe el informe HTML."),
        flag("--pdf", help="Escribe el PDF de aprobación para firmar."),
        flag("--json", help="Escribe el resultado en JSON (- para la salida estándar)."),
        flag("--source-dir", help="Compara estos archivos en lugar de los registrados al importar."),
        flag("--operator", help="Nombre de quien ejecuta la verificación."),
        flag("--allow-new-rows", action="store_true", help="Acepta filas creadas en Pet-Friendly después de la importación."),
        flag("--wait", action="store_true", help="Espera a que termine una importación o reversión en curso."),
    ]
