from migration.recon import ReconCommand, flag


class Command(ReconCommand):
    help = "Revierte un lote de importación («recon rollback»): elimina las filas que creó y restaura las que actualizó."
    recon_command = ("rollback",)
    recon_flags = [
        flag("--batch-id", type=int, required=True, help="Número del lote a revertir."),
        flag("--cascade", action="store_true", help="Revierte antes los lotes posteriores que dependen de este."),
        flag("--dry-run", action="store_true", help="Muestra lo que se revertiría sin cambiar nada."),
        flag("--operator", help="Nombre de quien revierte."),
        flag("--media-dir", help="Almacén de adjuntos."),
        flag("--wait", action="store_true", help="Espera a que termine otra importación o reversión en curso."),
    ]
