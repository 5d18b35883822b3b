from migration.recon import IMPORT_FLAGS, ReconCommand, flag


class Command(ReconCommand):
    help = "Importa todos los archivos reconocidos de una carpeta de exportación de OkVet («recon import all»)."
    recon_command = ("import", "all")
    recon_flags = [
        flag("--dir", required=True, help="Carpeta de la exportación."),
        flag("--jobs", type=int, help="Archivos de tipos independientes que se cargan a la vez."),
    ] + IMPORT_FLAGS
